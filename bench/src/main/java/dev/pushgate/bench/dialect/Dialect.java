package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

import java.net.URI;

/**
 * A wire dialect: how to reach the WebSocket endpoint, how to frame subscribe and publish requests, and where HTTP
 * publishing goes. Implementations are stateless and thread-safe; the session handlers they create are not.
 */
public interface Dialect {
    /** The WebSocket URI to connect to for a {@code --url} given by the user (fills in defaults). */
    URI endpoint(URI given);

    /** The HTTP path of the publish API. */
    String httpPublishPath();

    /** A new per-connection handler that reports to {@code listener}; it expects WebSocket frames. */
    ChannelHandler newSessionHandler(SessionListener listener);

    /** Appends a subscribe request with id {@code id} for {@code topic} (a text frame's content). */
    void writeSubscribe(ByteBuf out, long id, String topic);

    /** Appends the part of a publish request (id {@code id}) that precedes the data value. */
    void writePublishHead(ByteBuf out, long id, String topic);

    /** Appends the part of a publish request that follows the data value. */
    void writePublishTail(ByteBuf out);
}
