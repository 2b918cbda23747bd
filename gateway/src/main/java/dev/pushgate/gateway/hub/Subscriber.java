package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The write side of one connection as the hub sees it, whatever its transport (WebSocket, SSE, a held poll). Every
 * method is called on {@link #eventLoop()} only; the buffers {@link #deliver} gets are lent for the call.
 */
public interface Subscriber {

    /** The event loop that owns this connection. */
    EventLoop eventLoop();

    /**
     * Queues one encoded {@code message} frame of {@code topic} without flushing. {@code skipWhenSlow} is the topic's
     * slow-consumer policy: skip (and later tell) rather than close when the subscriber is behind.
     *
     * <p>{@code wire} is the same publication already prepared in this subscriber's {@link #format()}: for WebSocket
     * the complete frame, which a connection whose outgoing frames are not compressed writes as is; for SSE the
     * event's {@code data:} lines.
     *
     * <p>Buffers are lent, not given: {@code frame} and {@code wire} are the loop's shared buffers of this
     * publication, the same instances for every subscriber of it on this loop, valid only for the duration of the
     * call. The callee must not release them, nor change their indexes or bytes; what it keeps past the call (writes
     * to a channel by reference, buffers for later) it retains itself, with {@link ByteBuf#retainedDuplicate()} or
     * {@link ByteBuf#retainedSlice()} (own indexes, one reference each), and releases that. What it copies (a corked
     * frame) or only reads (positions, text) costs no reference count at all. The caller releases the originals after
     * the publication's last subscriber on the loop.
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
