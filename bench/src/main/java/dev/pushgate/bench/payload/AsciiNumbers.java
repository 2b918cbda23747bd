package dev.pushgate.bench.payload;

import io.netty.buffer.ByteBuf;

/** Writes and reads non-negative decimal integers as ASCII without creating strings. */
public final class AsciiNumbers {
    private AsciiNumbers() {
    }

    /** The number of decimal digits of {@code value} ({@code value >= 0}). */
    public static int digits(long value) {
        int digits = 1;
        long v = value;
        while (v >= 10) {
            v /= 10;
            digits++;
        }
        return digits;
    }

    /** Appends the decimal digits of {@code value} ({@code value >= 0}) to {@code out}. */
    public static void write(ByteBuf out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value: " + value);
        }
        int digits = digits(value);
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        long v = value;
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(end);
    }

    /**
     * Reads the digits starting at {@code index} up to {@code limit} (exclusive).
     *
     * @return the value, or {@code -1} when there is no digit at {@code index} or the number overflows a long
     */
    public static long read(ByteBuf buf, int index, int limit) {
        long value = 0;
        int i = index;
        while (i < limit) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            if (value > (Long.MAX_VALUE - (b - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (b - '0');
            i++;
        }
        return i == index ? -1 : value;
    }
}
