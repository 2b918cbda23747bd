package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The write side of one connection as the hub sees it. Every method is called on {@link #eventLoop()} only.
 */
public interface Subscriber {

    /** The event loop that owns this connection. */
    EventLoop eventLoop();

    /**
     * Queues one encoded {@code message} frame without flushing. The callee owns {@code frame} (a retained duplicate
     * of the shared bytes) and must release it, whether it writes or skips it.
     */
    void deliver(ByteBuf frame);

    /** Flushes what {@link #deliver} queued. Called once per delivery batch per subscriber. */
    void flush();

    /** Whether the subscriber has writes waiting for {@link #flush()}; owned by the loop's outbox. */
    boolean flushPending();

    /** Marks or clears the pending flush. */
    void flushPending(boolean pending);
}
