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
     * Queues one encoded {@code message} frame of {@code topic} without flushing. The callee owns {@code frame} (a
     * retained duplicate of the shared bytes) and must release it, whether it writes or skips it. {@code skipWhenSlow}
     * is the topic's slow-consumer policy: skip (and later tell) rather than close when the subscriber is behind.
     *
     * <p>{@code wire} is the same publication already framed for the wire (a retained duplicate too, also owned by
     * the callee): a connection whose outgoing frames are not compressed writes it as is and drops {@code frame}.
     *
     * @return whether the frame was queued for writing (false: skipped, or the connection is closing)
     */
    boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow);

    /** Flushes what {@link #deliver} queued. Called once per delivery batch per subscriber. */
    void flush();

    /** Whether the subscriber has writes waiting for {@link #flush()}; owned by the loop's outbox. */
    boolean flushPending();

    /** Marks or clears the pending flush. */
    void flushPending(boolean pending);
}
