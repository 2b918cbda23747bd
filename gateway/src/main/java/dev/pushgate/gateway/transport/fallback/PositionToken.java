package dev.pushgate.gateway.transport.fallback;

import dev.pushgate.gateway.broker.StreamPosition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The opaque position token of SSE ({@code id:}, {@code Last-Event-ID}) and long-poll ({@code since}): the positions
 * of a request's topics. Layout, then base64url without padding: version byte {@code 1}; varint count; per topic
 * varint length + topic (ASCII), varint {@code seq+1} ({@code 0}: no position known), and when known varint length +
 * epoch (UTF-8); then the CRC32 of everything before it (4 bytes, big-endian). Decoding checks the size, the
 * version, every length, the topics and the checksum, and throws {@link IllegalArgumentException} on any mismatch.
 * The checksum catches corruption and guessing, not forgery: a forged token can only ask for history the request's
 * topics already allow. Stateless.
 */
public final class PositionToken {
    /** Longest token accepted, in characters. */
    public static final int MAX_CHARS = 8192;
    static final int VERSION = 1;
    private static final int MAX_EPOCH = 256;

    private PositionToken() {
    }

    /** The token for {@code positions} (topic → position, {@code null}: none known), in map order. */
    public static String encode(Map<String, StreamPosition> positions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + positions.size() * 32);
        out.write(VERSION);
        varint(out, positions.size());
        for (Map.Entry<String, StreamPosition> e : positions.entrySet()) {
            bytes(out, e.getKey().getBytes(StandardCharsets.US_ASCII));
            StreamPosition p = e.getValue();
            if (p == null) {
                varint(out, 0);
            } else {
                varint(out, p.offset() + 1);
                bytes(out, p.epoch().getBytes(StandardCharsets.UTF_8));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /**
     * The positions in {@code token} (topic → position or {@code null}, in token order).
     *
     * @throws IllegalArgumentException when the token is not one this gateway made (the message says why)
     */
    public static Map<String, StreamPosition> decode(String token, int maxTopics) {
        if (token.length() > MAX_CHARS) {
            throw new IllegalArgumentException("position token longer than " + MAX_CHARS + " characters");
        }
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("position token is not base64url");
        }
        if (b.length < 6) {
            throw new IllegalArgumentException("position token too short");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        long want = ((b[b.length - 4] & 0xFFL) << 24) | ((b[b.length - 3] & 0xFFL) << 16)
                | ((b[b.length - 2] & 0xFFL) << 8) | (b[b.length - 1] & 0xFFL);
        if (crc.getValue() != want) {
            throw new IllegalArgumentException("position token checksum mismatch");
        }
        Reader r = new Reader(b, b.length - 4);
        if (r.u8() != VERSION) {
            throw new IllegalArgumentException("unknown position token version");
        }
        long n = r.varint();
        if (n > maxTopics) {
            throw new IllegalArgumentException("position token has more than " + maxTopics + " topics");
        }
        Map<String, StreamPosition> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String topic = new String(r.bytes(255), StandardCharsets.US_ASCII);
            long seq = r.varint() - 1;
            StreamPosition p = seq < 0 ? null : new StreamPosition(seq, new String(r.bytes(MAX_EPOCH), StandardCharsets.UTF_8));
            if (topic.isEmpty()) {
                throw new IllegalArgumentException("position token has an empty topic");
            }
            out.put(topic, p);
        }
        if (!r.done()) {
            throw new IllegalArgumentException("position token has trailing bytes");
        }
        return out;
    }

    private static void bytes(ByteArrayOutputStream out, byte[] b) {
        varint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Bounds-checked reading of the token's body. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int at;

        Reader(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        int u8() {
            if (at >= end) {
                throw new IllegalArgumentException("position token truncated");
            }
            return b[at++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("position token has an overlong number");
        }

        byte[] bytes(int max) {
            long len = varint();
            if (len > max || len > end - at) {
                throw new IllegalArgumentException("position token has a bad length");
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(b, at, out, 0, out.length);
            at += out.length;
            return out;
        }

        boolean done() {
            return at == end;
        }
    }
}
