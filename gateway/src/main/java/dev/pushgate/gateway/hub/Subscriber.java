package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The write side of one connection as the hub sees it, whatever its transport (WebSocket, SSE, a held poll). Every method is called on {@link #eventLoop()} only.
 */
public interface Subscriber {

    /** The event loop that owns this connection. */
    EventLoop eventLoop();

    /**
     * Queues one encoded {@code message} frame of {@code topic} without flushing. The callee owns {@code frame} (a
     * retained duplicate of the shared bytes) and must release it, whether it writes or skips it. {@code skipWhenSlow}
     * is the topic's slow-consumer policy: skip (and later tell) rather than close when the subscriber is behind.
     *
     * <p>{@code wire} is the same publication already prepared in this subscriber's {@link #format()} (a retained
     * duplicate too, also owned by the callee): for WebSocket the complete frame, which a connection whose outgoing
     * frames are not compressed writes as is (dropping {@code frame}); for SSE the event's {@code data:} lines.
     *
     * @return whether the frame was queued for writing (false: skipped, or the connection is closing)
     */
    boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow);

    /** The format {@link #deliver}'s {@code wire} is prepared in; constant for the subscriber's life. */
    default WireFormat format() {
        return WireFormat.WEBSOCKET;
    }

    /** Flushes what {@link #deliver} queued. Called once per delivery batch per subscriber. */
    void flush();

    /** Whether the subscriber has writes waiting for {@link #flush()}; owned by the loop's outbox. */
    boolean flushPending();

    /** Marks or clears the pending flush. */
    void flushPending(boolean pending);
}
