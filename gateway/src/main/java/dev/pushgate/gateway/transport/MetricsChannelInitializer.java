package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of the separate metrics port ({@code metrics.port}): plain HTTP with a few exact routes
 * ({@code /metrics}, {@code /healthz}, {@code /readyz}) and nothing else: no WebSocket, no static files, no CORS,
 * request bodies of at most 8 KiB. Order: http-idle → http-codec → http-aggregator → http-router.
 */
public final class MetricsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final int IDLE_SECONDS = 60;
    private static final int MAX_BODY = 8192;

    private final MetricsRouter router;

    public MetricsChannelInitializer(Map<String, HttpEndpoint> endpoints, GatewayMetrics metrics) {
        this.router = new MetricsRouter(endpoints, metrics);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(HandlerNames.HTTP_IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                ctx.close();
            }
        });
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        p.addLast(HandlerNames.HTTP_AGGREGATOR, new BoundedHttpAggregator(MAX_BODY));
        p.addLast(HandlerNames.HTTP_ROUTER, router);
    }
}
