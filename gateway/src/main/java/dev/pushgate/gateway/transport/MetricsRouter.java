package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.ErrorCode;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Routes the metrics port's requests by exact path; anything else is a JSON 404 (405 for a wrong method, 400 for a
 * malformed request). Stateless and shared by every channel of that port.
 */
@ChannelHandler.Sharable
final class MetricsRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(MetricsRouter.class);

    private final Map<String, HttpEndpoint> endpoints;
    private final GatewayMetrics metrics;

    MetricsRouter(Map<String, HttpEndpoint> endpoints, GatewayMetrics metrics) {
        super(false);
        this.endpoints = Map.copyOf(endpoints);
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder query = req.decoderResult().isFailure() ? null : RequestTargets.decode(req.uri());
        if (query == null) {
            new HttpExchange(ctx, req, RequestTargets.undecoded(req.uri()), "invalid", metrics).error(
                    HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        HttpEndpoint endpoint = endpoints.get(query.path());
        if (endpoint == null) {
            new HttpExchange(ctx, req, query, "unknown", metrics).error(HttpResponseStatus.NOT_FOUND,
                    ErrorCode.NOT_FOUND, "no such endpoint: " + query.path());
            return;
        }
        HttpExchange ex = new HttpExchange(ctx, req, query, endpoint.route(), metrics);
        if (!endpoint.methods().contains(req.method())) {
            String allow = endpoint.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            ex.error(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED,
                    req.method().name() + " not allowed; use " + allow);
            return;
        }
        endpoint.handle(ex);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ClientFaults.clientCaused(cause)) {
            log.debug("metrics port connection error: remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on the metrics port: remote={}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
