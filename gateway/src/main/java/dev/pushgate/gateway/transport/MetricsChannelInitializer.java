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

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of the separate metrics port ({@code metrics.port}): plain HTTP with a few exact routes
 * ({@code /metrics}, {@code /healthz}, {@code /readyz}) and nothing else: no WebSocket, no static files, no CORS,
 * request bodies of at most 8 KiB, one request in flight per connection and the same request deadline as the main
 * port. Order: http-idle → http-gate → http-codec → http-flow → http-timeout → http-aggregator → http-router.
 */
public final class MetricsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final int IDLE_SECONDS = 60;
    private static final int MAX_BODY = 8192;

    private final MetricsRouter router;
    private final GatewayMetrics metrics;
    private final long requestTimeoutNanos;

    public MetricsChannelInitializer(Map<String, HttpEndpoint> endpoints, GatewayMetrics metrics,
                                     Duration requestTimeout) {
        this.router = new MetricsRouter(endpoints, metrics);
        this.metrics = metrics;
        this.requestTimeoutNanos = requestTimeout.toNanos();
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
        HttpFlowControlHandler flow = new HttpFlowControlHandler();
        p.addLast(HandlerNames.HTTP_GATE, flow.gate());
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        p.addLast(HandlerNames.HTTP_FLOW, flow);
        p.addLast(HandlerNames.HTTP_TIMEOUT, new HttpRequestTimeoutHandler(requestTimeoutNanos, 0, metrics));
        p.addLast(HandlerNames.HTTP_AGGREGATOR, new BoundedHttpAggregator(MAX_BODY));
        p.addLast(HandlerNames.HTTP_ROUTER, router);
    }
}
