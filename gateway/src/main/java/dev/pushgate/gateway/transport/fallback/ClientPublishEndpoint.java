package dev.pushgate.gateway.transport.fallback;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.auth.TokenException;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.gateway.session.ClientRateLimit;
import dev.pushgate.gateway.session.SessionAuth;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.gateway.transport.OriginPolicy;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.PublishRequest;
import dev.pushgate.protocol.Topics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * {@code POST /api/client/publish}: a browser on SSE or long-poll publishes one {@code {"topic":..,"data":..}} with
 * its connection token ({@code Authorization: Bearer}, or the {@code token} parameter), decided exactly as a
 * WebSocket {@code publish} ({@link SessionAuth#checkPublish}: the token's publish claim, or the namespace's
 * {@code client-publish} policy). Answers {@code {"topic":..,"seq":N,"epoch":".."}}; 403 origin or not allowed,
 * 401 bad token or a token needed, 415 not JSON, 400 bad body or topic, 429 {@code rate_limited} over the client
 * rate limit, 503 layer down. Shared.
 *
 * <p>Rate limit: the same {@link ClientRateLimit} as a WebSocket client's messages, per client: the token's subject
 * when the request is authenticated, else the client's IP address. Checked once the token is verified (so a forged
 * one cannot spend someone else's budget) and before the body is read.
 */
public final class ClientPublishEndpoint implements HttpEndpoint {
    public static final String PATH = "/api/client/publish";
    private static final Transport NONE = new Transport() {
        @Override
        public void send(byte[] frame) {
        }

        @Override
        public void close(CloseCode code) {
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    };

    private static final String RETRY_AFTER_SECONDS = "1";

    private final SessionServices services;
    private final OriginPolicy origins;

    public ClientPublishEndpoint(SessionServices services, OriginPolicy origins) {
        this.services = services;
        this.origins = origins;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public String route() {
        return "client_publish";
    }

    /** Whose bucket a request takes from: its token's subject, else its address. */
    private static String rateKey(HttpExchange ex, String user) {
        if (user != null) {
            return "sub:" + user;
        }
        SocketAddress remote = ex.context().channel().remoteAddress();
        return "ip:" + (remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(remote));
    }

    @Override
    public void handle(HttpExchange ex) {
        var headers = ex.request().headers();
        if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
            ex.error(HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "origin not allowed");
            return;
        }
        String ct = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            ex.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json");
            return;
        }
        SessionAuth auth = new SessionAuth(NONE, services);
        String token = SubscribeRequest.bearer(headers.get(HttpHeaderNames.AUTHORIZATION));
        if (token == null) {
            token = ex.param("token");
        }
        if (token != null && services.tokens() != null) {
            try {
                auth.authenticated(services.tokens().verify(token));
            } catch (TokenException e) {
                services.metrics().authFailure(e.expired() ? "expired" : "invalid");
                ex.error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, e.getMessage());
                return;
            }
        }
        if (services.rateLimit().admit(rateKey(ex, auth.user())) != ClientRateLimit.Verdict.ALLOWED) {
            auth.closed();
            ex.header(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ex.error(HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "too many messages, slow down");
            return;
        }
        PublishRequest r;
        try {
            List<PublishRequest> batch = PublishRequest.decodeBody(ex.body(), 1);
            if (batch.size() != 1) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "one publication per request");
            }
            r = batch.get(0);
            String violation = Topics.violation(r.topic(), services.limits().topicMaxLength());
            if (violation != null) {
                throw new ProtocolException(ErrorCode.INVALID_TOPIC, violation);
            }
            if (PublishService.reserved(r.topic())) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "this namespace is reserved for the gateway");
            }
            auth.checkPublish(r.topic(), null);
        } catch (ProtocolException e) {
            HttpResponseStatus status = switch (e.code()) {
                case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
                case UNAUTHORIZED -> HttpResponseStatus.UNAUTHORIZED;
                default -> HttpResponseStatus.BAD_REQUEST;
            };
            if (e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.UNAUTHORIZED) {
                services.metrics().publishError("forbidden");
            }
            ex.error(status, e.code(), e.getMessage());
            return;
        } finally {
            auth.closed();
        }
        String topic = r.topic();
        services.publisher().publish(topic, r.data(), PublishSource.CLIENT).whenComplete((pos, err) -> {
            if (err != null) {
                ProtocolException pe = PublishService.failure(err);
                ex.error(pe.code() == ErrorCode.UNAVAILABLE ? HttpResponseStatus.SERVICE_UNAVAILABLE
                        : pe.code() == ErrorCode.INTERNAL ? HttpResponseStatus.INTERNAL_SERVER_ERROR
                        : HttpResponseStatus.BAD_REQUEST, pe.code(), pe.getMessage());
                return;
            }
            StringBuilder sb = new StringBuilder("{\"topic\":").append(ProtocolCodec.quote(topic));
            if (pos.offset() >= 0) {
                sb.append(",\"seq\":").append(pos.offset());
            }
            if (!pos.epoch().isEmpty()) {
                sb.append(",\"epoch\":").append(ProtocolCodec.quote(pos.epoch()));
            }
            ex.json(HttpResponseStatus.OK, sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
