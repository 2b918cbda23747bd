package dev.pushgate.gateway.transport.fallback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The position vector of one SSE stream or poll: per topic of the request (in request order) the position of the
 * last message the client was given, moved on by every sequenced {@code message} and every {@code gap} frame, and
 * its {@link PositionToken} (built once per change). Loop-confined.
 */
public final class Positions {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] GAP_PREFIX = "{\"op\":\"gap\"".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, StreamPosition> positions = new LinkedHashMap<>();
    private final Map<String, byte[]> seqPrefixes = new LinkedHashMap<>();
    private String token;
    /** Scratch for a frame's head: the longest seq prefix (topic at most 255 characters) plus 20 digits. */
    private final byte[] head = new byte[ProtocolCodec.messageSeqPrefix("").length + 255 + 21];

    /** The request's topics, each starting at {@code from.get(topic)} (absent or {@code null}: not known yet). */
    public Positions(List<String> topics, Map<String, StreamPosition> from) {
        for (String t : topics) {
            positions.put(t, from.get(t));
            seqPrefixes.put(t, ProtocolCodec.messageSeqPrefix(t));
        }
    }

    /** Where {@code topic} stands, or {@code null}. */
    public StreamPosition get(String topic) {
        return positions.get(topic);
    }

    /** Sets {@code topic}'s position (a subscription's start, a replayed message). */
    public void set(String topic, StreamPosition p) {
        if (p != null && !p.equals(positions.get(topic))) {
            positions.put(topic, p);
            token = null;
        }
    }

    /**
     * Moves {@code topic} on by a frame the client is about to get: a sequenced message sets its {@code seq} (in
     * the known epoch), a {@code gap} its epoch and {@code seq}. Returns whether the position changed.
     */
    public boolean observe(String topic, ByteBuf frame) {
        byte[] prefix = seqPrefixes.get(topic);
        if (prefix == null) {
            return false;
        }
        StreamPosition now = positions.get(topic);
        long seq = numberAfter(frame, prefix);
        if (seq >= 0) {
            if (now == null) {
                return false; // no epoch known (a layer without positions)
            }
            set(topic, new StreamPosition(seq, now.epoch()));
            return true;
        }
        if (startsWith(frame, GAP_PREFIX)) {
            StreamPosition p = gapPosition(frame);
            if (p != null) {
                set(topic, p);
                return true;
            }
        }
        return false;
    }

    /** The token of the current positions. */
    public String token() {
        if (token == null) {
            token = PositionToken.encode(Collections.unmodifiableMap(positions));
        }
        return token;
    }

    /**
     * The number right after {@code prefix} at the frame's start, or -1. Reads the frame's head with one bulk copy
     * (a leak-tracking wrapper records every single access).
     */
    private long numberAfter(ByteBuf frame, byte[] prefix) {
        int n = Math.min(head.length, frame.readableBytes());
        if (n <= prefix.length) {
            return -1;
        }
        frame.getBytes(frame.readerIndex(), head, 0, n);
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return -1;
            }
        }
        long v = 0;
        for (int i = prefix.length; i < n; i++) {
            byte b = head[i];
            if (b < '0' || b > '9') {
                return i == prefix.length ? -1 : v;
            }
            v = v * 10 + (b - '0');
        }
        return -1;
    }

    private boolean startsWith(ByteBuf frame, byte[] prefix) {
        int n = prefix.length;
        if (frame.readableBytes() <= n) {
            return false;
        }
        frame.getBytes(frame.readerIndex(), head, 0, n);
        for (int i = 0; i < n; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The epoch and seq of a {@code gap} frame (rare: parsed in full), or {@code null}. */
    private static StreamPosition gapPosition(ByteBuf frame) {
        String epoch = null;
        long seq = -1;
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(frame.duplicate()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("epoch".equals(name)) {
                    epoch = p.getValueAsString();
                } else if ("seq".equals(name)) {
                    seq = p.getValueAsLong(-1);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return epoch == null || seq < 0 ? null : new StreamPosition(seq, epoch);
    }
}
