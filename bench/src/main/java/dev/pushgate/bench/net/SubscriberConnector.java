package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.SessionListener;
import io.netty.channel.ChannelFuture;

import java.net.InetAddress;
import java.net.URI;

/**
 * Opens subscriber connections over one transport (WebSocket, SSE, long-polling). Implementations are
 * thread-safe.
 */
public interface SubscriberConnector {
    /**
     * Connects to the server of {@code url} (a {@code --url}) from {@code source} ({@code null}: any). Transports
     * that subscribe by URL subscribe to {@code topic} ({@code null}: an idle connection, WebSocket only); WebSocket
     * leaves subscribing to the listener. The listener hears about readiness, frames and the close, including a
     * failed connect.
     */
    ChannelFuture connect(URI url, InetAddress source, String topic, SessionListener listener);
}
