package dev.pushgate.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * One WebSocket's fan-out writes between two flushes, corked (ADR 0017): complete frames smaller than the threshold
 * are copied together into one pooled buffer that enters the channel as one outbound entry, so a burst of small
 * messages to one socket costs one entry, one promise and one buffer instead of one of each per message, and no
 * reference count of the loop's shared frame is held past the batch. A lone small frame is kept by reference (no
 * copy) until a second one comes; a frame at or above the threshold is written by reference, after what was corked
 * before it, so the order of frames is the order of writes. Flush policy: the caller flushes when {@link #write}
 * says the bytes written since the last flush reached {@code flushBytes}, else at the end of the batch.
 *
 * <p>Loop-confined. Every write path of the connection must {@link #drain} first (frames stay in order); after a
 * {@link #write} the caller always ends with a {@link #drain} (the flush), so nothing stays corked past a batch and
 * a closed channel releases what it is given.
 */
final class CorkedWrites {
    /** Cork capacity allocated up front; it grows towards {@code flushBytes + threshold} when a batch needs it. */
    private static final int INITIAL_CAPACITY = 4096;

    private final ChannelHandlerContext out;
    private final int threshold;
    private final int flushBytes;
    /** The batch's first small frame, by reference. */
    private ByteBuf held;
    /** Small frames copied together; null until a second small frame comes in the batch. */
    private ByteBuf cork;
    private long unflushed;

    /**
     * @param out        the context complete frames are written from (below the frame encoder)
     * @param threshold  frames smaller than this are copied into the cork (0: none are)
     * @param flushBytes bytes written between flushes at which {@link #write} asks for a flush
     */
    CorkedWrites(ChannelHandlerContext out, int threshold, int flushBytes) {
        this.out = out;
        this.threshold = threshold;
        this.flushBytes = flushBytes;
    }

    /**
     * Queues one complete frame; the callee owns {@code frame}. Returns whether the bytes written since the last
     * flush reached {@code flushBytes} (the caller should flush now).
     */
    boolean write(ByteBuf frame) {
        int n = frame.readableBytes();
        unflushed += n;
        if (n >= threshold) {
            drain();
            out.write(frame, out.voidPromise());
        } else if (held == null && cork == null) {
            held = frame;
        } else {
            copy(frame, n);
        }
        return unflushed >= flushBytes;
    }

    private void copy(ByteBuf frame, int n) {
        try {
            if (cork != null && cork.maxWritableBytes() < n) {
                drain();
            }
            if (cork == null) {
                int max = (int) Math.min(Integer.MAX_VALUE, (long) Math.max(flushBytes, 0) + threshold);
                cork = out.alloc().directBuffer(Math.min(INITIAL_CAPACITY, max), max);
                if (held != null) {
                    cork.writeBytes(held);
                    held.release();
                    held = null;
                }
            }
            cork.writeBytes(frame);
        } finally {
            frame.release();
        }
    }

    /** Writes what is corked to the channel (without flushing). */
    void drain() {
        if (held != null) {
            ByteBuf h = held;
            held = null;
            out.write(h, out.voidPromise());
        }
        if (cork != null) {
            ByteBuf c = cork;
            cork = null;
            out.write(c, out.voidPromise());
        }
    }

    /** Drains; the caller flushes the channel right after. */
    void flushed() {
        drain();
        unflushed = 0;
    }

    /** Bytes corked and not yet written to the channel (counted in the connection's outbound backlog). */
    int pending() {
        return (held != null ? held.readableBytes() : 0) + (cork != null ? cork.readableBytes() : 0);
    }
}
