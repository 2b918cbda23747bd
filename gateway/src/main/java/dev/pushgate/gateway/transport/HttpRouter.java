package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.api.StaticFiles;
import dev.pushgate.gateway.auth.Claims;
import dev.pushgate.gateway.auth.TokenException;
import dev.pushgate.gateway.auth.TokenVerifier;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.ErrorCode;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Routes each HTTP request: WebSocket upgrades on the WebSocket path go on down the pipeline to the handshake;
 * everything else is answered here by the endpoint registered for its exact path, the static files, or a JSON
 * error (400 malformed, including a target that does not percent-decode and an upgrade request that fails
 * {@link UpgradeRequestCheck}; 404 unknown path; 405 wrong method; 426 a plain request on the WebSocket path or a
 * {@code Sec-WebSocket-Version} other than 13; 403 an {@code Origin} not allowed, logged by {@link RefusedOrigins}).
 * Stateless and shared by every channel.
 */
@ChannelHandler.Sharable
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Claims of a token verified at the upgrade, picked up by the session handler. */
    static final AttributeKey<Claims> CLAIMS = AttributeKey.valueOf("pushgate.claims");

    private final boolean echoEnabled;
    private final TokenVerifier tokens;
    private final OriginPolicy origins;
    private final Map<String, HttpEndpoint> endpoints;
    private final StaticFiles files;
    private final GatewayMetrics metrics;
    private final RefusedOrigins refusedOrigins = new RefusedOrigins(System::nanoTime);

    HttpRouter(boolean echoEnabled, OriginPolicy origins, TokenVerifier tokens, Map<String, HttpEndpoint> endpoints,
               StaticFiles files, GatewayMetrics metrics) {
        super(false);
        this.tokens = tokens;
        this.echoEnabled = echoEnabled;
        this.origins = origins;
        this.endpoints = Map.copyOf(endpoints);
        this.files = files;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            // The codec discards everything after a bad request: the connection cannot carry another one.
            HttpUtil.setKeepAlive(req, false);
            exchange(ctx, req, RequestTargets.undecoded(req.uri()), "invalid").error(HttpResponseStatus.BAD_REQUEST,
                    ErrorCode.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        QueryStringDecoder query = RequestTargets.decode(req.uri());
        if (query == null) {
            exchange(ctx, req, RequestTargets.undecoded(req.uri()), "invalid").error(HttpResponseStatus.BAD_REQUEST,
                    ErrorCode.BAD_REQUEST, "malformed percent-encoding in the request target");
            return;
        }
        String path = query.path();
        if (path.equals(Routes.WS_PATH) || (echoEnabled && path.equals(Routes.ECHO_PATH))) {
            routeWebSocket(ctx, req, query);
            return;
        }
        HttpEndpoint endpoint = endpoints.get(path);
        if (endpoint == null && files != null && files.serves(path)) {
            endpoint = files;
        }
        if (endpoint == null) {
            exchange(ctx, req, query, "unknown").error(HttpResponseStatus.NOT_FOUND, ErrorCode.NOT_FOUND,
                    "no such endpoint: " + path);
            return;
        }
        HttpExchange ex = exchange(ctx, req, query, endpoint.route());
        if (!endpoint.methods().contains(req.method())) {
            methodNotAllowed(ex, endpoint);
            return;
        }
        endpoint.handle(ex);
    }

    private void routeWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query) {
        boolean upgrade = req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (upgrade && req.method().equals(HttpMethod.GET)) {
            UpgradeRequestCheck.Refusal refusal = UpgradeRequestCheck.check(req);
            if (refusal != null) {
                metrics.handshakeFailure(refusal.reason());
                HttpExchange ex = exchange(ctx, req, query, "ws");
                if (refusal.status().equals(HttpResponseStatus.UPGRADE_REQUIRED)) {
                    ex.header(HttpHeaderNames.SEC_WEBSOCKET_VERSION, UpgradeRequestCheck.VERSION);
                }
                ex.error(refusal.status(), ErrorCode.BAD_REQUEST, refusal.message());
                return;
            }
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            if (!origins.allows(origin, req.headers().get(HttpHeaderNames.HOST))) {
                metrics.handshakeFailure("origin");
                refusedOrigins.refused(origin, req.headers().get(HttpHeaderNames.HOST));
                exchange(ctx, req, query, "ws").error(HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                        "origin not allowed");
                return;
            }
            if (!tokenAccepted(ctx, req, query)) {
                return;
            }
            ctx.fireChannelRead(req);
            return;
        }
        metrics.handshakeFailure("not_upgrade");
        HttpExchange ex = exchange(ctx, req, query, "ws");
        if (!req.method().equals(HttpMethod.GET)) {
            ex.error(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED,
                    "the WebSocket endpoint takes GET with Upgrade: websocket");
            return;
        }
        ex.header(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .header(HttpHeaderNames.SEC_WEBSOCKET_VERSION, UpgradeRequestCheck.VERSION)
                .error(HttpResponseStatus.UPGRADE_REQUIRED, ErrorCode.BAD_REQUEST,
                        "this is the WebSocket endpoint: send a WebSocket upgrade request");
    }

    /** A {@code token} query parameter is verified before the upgrade; a bad one gets 401 and no WebSocket. */
    private boolean tokenAccepted(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query) {
        var values = query.parameters().get("token");
        if (values == null || values.isEmpty() || tokens == null) {
            return true;
        }
        try {
            ctx.channel().attr(CLAIMS).set(tokens.verify(values.get(0)));
            return true;
        } catch (TokenException e) {
            metrics.handshakeFailure("token");
            metrics.authFailure(e.expired() ? "expired" : "invalid");
            exchange(ctx, req, query, "ws").error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, e.getMessage());
            return false;
        }
    }

    private void methodNotAllowed(HttpExchange ex, HttpEndpoint endpoint) {
        String allow = endpoint.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        ex.error(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED,
                ex.request().method().name() + " not allowed; use " + allow);
    }

    private HttpExchange exchange(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String route) {
        return new HttpExchange(ctx, req, q, route, metrics);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }
}
