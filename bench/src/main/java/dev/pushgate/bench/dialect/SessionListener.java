package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * What a session handler reports about its connection, in dialect-neutral terms. Every method is called on the
 * connection's event loop and must not block.
 */
public interface SessionListener {
    /** The connection can carry application traffic (pushgate {@code connected}, Socket.IO namespace connect). */
    void onReady(Channel channel);

    /**
     * The subscription the request itself named started (an SSE stream's subscribe {@code ack}, a long-poll's first
     * answer): there is no separate subscribe request to acknowledge. WebSocket sessions never call it.
     */
    default void onSubscribed(Channel channel) {
    }

    /** The server acknowledged request {@code id}. */
    void onAck(Channel channel, long id);

    /**
     * A message for a subscription arrived. {@code frame} is the whole text frame; it is only valid during the
     * call and is released by the caller.
     */
    void onMessage(Channel channel, ByteBuf frame);

    /** The server refused request {@code id} (0 when it names none) with a short {@code code}. */
    void onError(Channel channel, long id, String code);

    /** The connection closed; {@code cause} is the first error seen on it, or {@code null}. */
    void onClosed(Channel channel, Throwable cause);
}
