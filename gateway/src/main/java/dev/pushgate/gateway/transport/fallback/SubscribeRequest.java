package dev.pushgate.gateway.transport.fallback;

import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.auth.Claims;
import dev.pushgate.gateway.auth.TokenException;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.session.SessionAuth;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.gateway.transport.OriginPolicy;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.Topics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A subscribe-by-URL request ({@code /sse}, {@code /poll}) checked in the order the errors are documented: Origin
 * (403), topics (400: none, more than {@code limits.max-subscriptions}, invalid), the connection token (401), the
 * position token (400), then the subscribe authorisation of every topic with the same {@link SessionAuth} rules as a
 * WebSocket (401 needs a token, 403 not allowed). {@link #parse} answers the error itself and returns {@code null}.
 */
public final class SubscribeRequest {
    private final List<String> topics;
    private final Map<String, StreamPosition> since;
    private final Claims claims;
    private final SessionAuth auth;
    private final InetAddress ip;

    private SubscribeRequest(List<String> topics, Map<String, StreamPosition> since, Claims claims, SessionAuth auth,
                             InetAddress ip) {
        this.topics = topics;
        this.since = since;
        this.claims = claims;
        this.auth = auth;
        this.ip = ip;
    }

    /** The topics, deduplicated, in request order. */
    public List<String> topics() {
        return topics;
    }

    /** The positions the client resumes from (empty without a position token). */
    public Map<String, StreamPosition> since() {
        return since;
    }

    /** Whether the client sent a position token. */
    public boolean resuming() {
        return !since.isEmpty();
    }

    public SessionAuth auth() {
        return auth;
    }

    public Claims claims() {
        return claims;
    }

    public InetAddress ip() {
        return ip;
    }

    /**
     * Parses and authorises {@code ex}; {@code positionToken} is the raw position token or {@code null}.
     * {@code transport} is what the request's {@link SessionAuth} warns and closes through.
     */
    public static SubscribeRequest parse(HttpExchange ex, String positionToken, SessionServices services,
                                         OriginPolicy origins, Transport transport) {
        var headers = ex.request().headers();
        if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
            ex.error(HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "origin not allowed");
            return null;
        }
        List<String> raw = ex.query().parameters().getOrDefault("topic", List.of());
        List<String> topics = new ArrayList<>(new LinkedHashSet<>(raw));
        int max = services.limits().maxSubscriptions();
        if (topics.isEmpty()) {
            ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "at least one topic parameter is required");
            return null;
        }
        if (topics.size() > max) {
            ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + max + " topics per request");
            return null;
        }
        for (String t : topics) {
            String violation = Topics.violation(t, services.limits().topicMaxLength());
            if (violation != null) {
                ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.INVALID_TOPIC, violation);
                return null;
            }
        }
        Claims claims = null;
        String token = bearer(headers.get(HttpHeaderNames.AUTHORIZATION));
        if (token == null) {
            token = ex.param("token");
        }
        if (token != null && services.tokens() != null) {
            try {
                claims = services.tokens().verify(token);
            } catch (TokenException e) {
                services.metrics().authFailure(e.expired() ? "expired" : "invalid");
                ex.error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, e.getMessage());
                return null;
            }
        }
        Map<String, StreamPosition> since = Map.of();
        if (positionToken != null && !positionToken.isEmpty()) {
            try {
                since = PositionToken.decode(positionToken, max);
            } catch (IllegalArgumentException e) {
                ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "invalid position token: " + e.getMessage());
                return null;
            }
        }
        SessionAuth auth = new SessionAuth(transport, services);
        if (claims != null) {
            auth.authenticated(claims); // the stream ends when the token expires (and is warned before)
        }
        for (String t : topics) {
            try {
                auth.checkSubscribe(t, null);
            } catch (ProtocolException e) {
                auth.closed();
                ex.error(e.code() == ErrorCode.UNAUTHORIZED ? HttpResponseStatus.UNAUTHORIZED
                        : HttpResponseStatus.FORBIDDEN, e.code(), e.getMessage());
                return null;
            }
        }
        InetAddress ip = ((InetSocketAddress) ex.context().channel().remoteAddress()).getAddress();
        return new SubscribeRequest(List.copyOf(topics), since, claims, auth, ip);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = authorization.substring(7).trim();
        return t.isEmpty() ? null : t;
    }
}
