package dev.pushgate.bench.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Opens keep-alive HTTP/1.1 client connections whose last handler receives whole
 * {@link io.netty.handler.codec.http.FullHttpResponse}s. Thread-safe.
 */
public final class HttpConnector {
    private static final int MAX_RESPONSE = 1024 * 1024;

    private final NettyTransport transport;
    private final int connectTimeoutMillis;

    public HttpConnector(NettyTransport transport, int connectTimeoutMillis) {
        this.transport = transport;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Connects to the host and port of {@code url} with {@code handler} at the tail of the pipeline. */
    public ChannelFuture connect(URI url, ChannelHandler handler) {
        return transport.bootstrap(connectTimeoutMillis).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec());
                ch.pipeline().addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_RESPONSE));
                ch.pipeline().addLast(HandlerNames.HTTP_PUBLISH, handler);
            }
        }).connect(new InetSocketAddress(url.getHost(), WebSocketConnector.port(url)));
    }
}
