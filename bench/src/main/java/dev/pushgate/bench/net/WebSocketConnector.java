package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.Dialect;
import dev.pushgate.bench.dialect.SessionListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Opens WebSocket client connections speaking a {@link Dialect}. Netty's protocol handler does the handshake and
 * answers server pings with pongs; the dialect's session handler sees complete text frames, and the guard at the
 * tail sees the server's Close frame (so failures can name its code).
 * Thread-safe.
 */
public final class WebSocketConnector implements SubscriberConnector {
    private static final int MAX_FRAME = 4 * 1024 * 1024;
    private static final int MAX_HANDSHAKE_RESPONSE = 64 * 1024;

    private final NettyTransport transport;
    private final Dialect dialect;
    private final int connectTimeoutMillis;

    public WebSocketConnector(NettyTransport transport, Dialect dialect, int connectTimeoutMillis) {
        this.transport = transport;
        this.dialect = dialect;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** The dialect the connections speak. */
    public Dialect dialect() {
        return dialect;
    }

    /** A WebSocket subscriber connection: the listener subscribes to {@code topic} once the session is ready. */
    @Override
    public ChannelFuture connect(URI url, InetAddress source, String topic, SessionListener listener) {
        return connect(url, source, listener);
    }

    /**
     * Connects to {@code url} (a {@code --url}, completed by the dialect) from {@code source} ({@code null}: any).
     * The listener hears about readiness, frames and the close, including a failed connect.
     */
    public ChannelFuture connect(URI url, InetAddress source, SessionListener listener) {
        URI endpoint = dialect.endpoint(url);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(endpoint)
                .version(WebSocketVersion.V13)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(connectTimeoutMillis)
                .handleCloseFrames(false)
                .absoluteUpgradeUrl(false)
                .build();
        Bootstrap b = transport.bootstrap(connectTimeoutMillis).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec());
                p.addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE));
                p.addLast(HandlerNames.WS_PROTOCOL, new WebSocketClientProtocolHandler(config));
                p.addLast(HandlerNames.WS_FRAME_AGGREGATOR, new WebSocketFrameAggregator(MAX_FRAME));
                p.addLast(HandlerNames.SESSION, dialect.newSessionHandler(listener));
                p.addLast(HandlerNames.GUARD, new ConnectionGuard(listener));
            }
        });
        InetSocketAddress remote = new InetSocketAddress(endpoint.getHost(), port(endpoint));
        ChannelFuture f = source == null ? b.connect(remote) : b.connect(remote, new InetSocketAddress(source, 0));
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                listener.onClosed(done.channel(), done.cause());
            }
        });
        return f;
    }

    /** The port of a ws/wss/http URI, defaulting by scheme. */
    public static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
