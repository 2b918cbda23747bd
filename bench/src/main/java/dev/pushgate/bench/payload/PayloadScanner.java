package dev.pushgate.bench.payload;

import io.netty.buffer.ByteBuf;

/**
 * Finds {@code "n"}, {@code "s"} and {@code "t"} of a benchmark payload inside a received frame by scanning bytes,
 * wherever the envelope around it puts the payload. Like a {@code Matcher}: {@link #scan} fills the fields read by
 * the getters, so one scanner per connection (not thread-safe) avoids allocating per message.
 */
public final class PayloadScanner {
    private long n = -1;
    private int stream = -1;
    private long micros = -1;

    /**
     * Scans the readable bytes of {@code frame} (indexes are not moved).
     *
     * @return whether a complete payload was found; the getters are valid only then
     */
    public boolean scan(ByteBuf frame) {
        int limit = frame.writerIndex();
        int at = find(frame, frame.readerIndex(), limit, 'n');
        n = at < 0 ? -1 : AsciiNumbers.read(frame, at, limit);
        if (n < 0) {
            return false;
        }
        int sAt = find(frame, at, limit, 's');
        long s = sAt < 0 ? -1 : AsciiNumbers.read(frame, sAt, limit);
        if (s < 0 || s > Integer.MAX_VALUE) {
            return false;
        }
        stream = (int) s;
        int tAt = find(frame, at, limit, 't');
        micros = tAt < 0 ? -1 : AsciiNumbers.read(frame, tAt, limit);
        return micros >= 0;
    }

    /** The sequence number of the last payload found. */
    public long n() {
        return n;
    }

    /** The stream (publisher) index of the last payload found. */
    public int stream() {
        return stream;
    }

    /** The intended send time, epoch microseconds, of the last payload found. */
    public long micros() {
        return micros;
    }

    /** The index just after {@code "k":} (the first such key from {@code from}), or {@code -1}. */
    static int find(ByteBuf buf, int from, int limit, char key) {
        for (int i = from; i + 3 < limit; i++) {
            if (buf.getByte(i) == '"' && buf.getByte(i + 1) == key && buf.getByte(i + 2) == '"'
                    && buf.getByte(i + 3) == ':') {
                return i + 4;
            }
        }
        return -1;
    }
}
