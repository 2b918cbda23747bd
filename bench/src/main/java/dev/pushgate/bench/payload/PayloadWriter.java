package dev.pushgate.bench.payload;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the benchmark payload {@code {"n":N,"s":S,"t":MICROS,"p":"xxx…"}}: {@code n} is the message's sequence
 * number in its stream, {@code s} the stream (publisher) index and {@code t} the intended send time in epoch
 * microseconds. The {@code p} padding makes the whole value exactly {@link #size()} bytes long, or as short as the
 * numbers allow when the size is smaller than the fixed part. Immutable and thread-safe.
 */
public final class PayloadWriter {
    private static final byte[] OPEN_N = ascii("{\"n\":");
    private static final byte[] KEY_S = ascii(",\"s\":");
    private static final byte[] KEY_T = ascii(",\"t\":");
    private static final byte[] KEY_P = ascii(",\"p\":\"");
    private static final byte[] CLOSE = ascii("\"}");
    private static final int FIXED = OPEN_N.length + KEY_S.length + KEY_T.length + KEY_P.length + CLOSE.length;

    private final int size;
    private final byte[] padding;

    /** A writer of payloads of {@code size} bytes. */
    public PayloadWriter(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("payload size must be positive: " + size);
        }
        this.size = size;
        this.padding = new byte[size];
        Arrays.fill(padding, (byte) 'x');
    }

    /** The target size in bytes. */
    public int size() {
        return size;
    }

    /** Appends one payload to {@code out} and returns the number of bytes written. */
    public int write(ByteBuf out, long n, int stream, long micros) {
        int start = out.writerIndex();
        int pad = Math.max(0, size - FIXED - AsciiNumbers.digits(n) - AsciiNumbers.digits(stream)
                - AsciiNumbers.digits(micros));
        out.ensureWritable(FIXED + 40 + pad);
        out.writeBytes(OPEN_N);
        AsciiNumbers.write(out, n);
        out.writeBytes(KEY_S);
        AsciiNumbers.write(out, stream);
        out.writeBytes(KEY_T);
        AsciiNumbers.write(out, micros);
        out.writeBytes(KEY_P);
        out.writeBytes(padding, 0, pad);
        out.writeBytes(CLOSE);
        return out.writerIndex() - start;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
