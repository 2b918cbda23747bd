package dev.pushgate.bench.dialect;

import dev.pushgate.bench.payload.AsciiNumbers;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Byte-level lookups in received text frames, so that routing a frame needs no JSON parse. */
final class FrameScan {
    private FrameScan() {
    }

    /** The index of the first occurrence of {@code needle} in the readable bytes of {@code buf}, or {@code -1}. */
    static int indexOf(ByteBuf buf, byte[] needle) {
        int limit = buf.writerIndex() - needle.length;
        outer:
        for (int i = buf.readerIndex(); i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether the bytes of {@code buf} at {@code index} are {@code expected}. */
    static boolean regionMatches(ByteBuf buf, int index, byte[] expected) {
        if (index < 0 || index + expected.length > buf.writerIndex()) {
            return false;
        }
        for (int j = 0; j < expected.length; j++) {
            if (buf.getByte(index + j) != expected[j]) {
                return false;
            }
        }
        return true;
    }

    /** The non-negative integer after {@code key} (e.g. {@code "id":}), or {@code -1}. */
    static long numberAfter(ByteBuf buf, byte[] key) {
        int at = indexOf(buf, key);
        return at < 0 ? -1 : AsciiNumbers.read(buf, at + key.length, buf.writerIndex());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends a JSON string literal; topic names need no escaping (they are {@code [A-Za-z0-9_.:@=/-]}). */
    static void writeQuoted(ByteBuf out, String s) {
        out.writeByte('"');
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
        out.writeByte('"');
    }
}
