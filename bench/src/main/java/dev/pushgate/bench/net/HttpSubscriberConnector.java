package dev.pushgate.bench.net;

import dev.pushgate.bench.dialect.SessionListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Opens pushgate subscribers over the HTTP fallbacks: an SSE stream ({@code GET /sse?topic=T}) or a long-poll loop
 * ({@code GET /poll?topic=T[&since=…]}, one request in flight, keep-alive), on the host and port of a {@code --url}.
 * Thread-safe.
 */
public final class HttpSubscriberConnector implements SubscriberConnector {
    private static final int MAX_EVENT = 4 * 1024 * 1024;
    private static final int MAX_POLL_ANSWER = 64 * 1024 * 1024;

    private final NettyTransport transport;
    private final int connectTimeoutMillis;
    private final boolean sse;

    private HttpSubscriberConnector(NettyTransport transport, int connectTimeoutMillis, boolean sse) {
        this.transport = transport;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.sse = sse;
    }

    /** Subscribers on Server-Sent Event streams. */
    public static HttpSubscriberConnector sse(NettyTransport transport, int connectTimeoutMillis) {
        return new HttpSubscriberConnector(transport, connectTimeoutMillis, true);
    }

    /** Subscribers that long-poll. */
    public static HttpSubscriberConnector poll(NettyTransport transport, int connectTimeoutMillis) {
        return new HttpSubscriberConnector(transport, connectTimeoutMillis, false);
    }

    @Override
    public ChannelFuture connect(URI url, InetAddress source, String topic, SessionListener listener) {
        if (topic == null) {
            throw new IllegalArgumentException("an SSE or long-poll subscriber needs a topic");
        }
        int port = WebSocketConnector.port(url);
        String host = url.getHost() + ":" + port;
        Bootstrap b = transport.bootstrap(connectTimeoutMillis).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec());
                if (sse) {
                    p.addLast(HandlerNames.SESSION, new SseSubscriberHandler(host, topic, listener, MAX_EVENT));
                } else {
                    p.addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_POLL_ANSWER));
                    p.addLast(HandlerNames.SESSION, new PollSubscriberHandler(host, topic, listener));
                }
                p.addLast(HandlerNames.GUARD, new ConnectionGuard(listener));
            }
        });
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), port);
        ChannelFuture f = source == null ? b.connect(remote) : b.connect(remote, new InetSocketAddress(source, 0));
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                listener.onClosed(done.channel(), done.cause());
            }
        });
        return f;
    }
}
