package dev.pushgate.gateway.session;

import dev.pushgate.gateway.auth.Claims;
import dev.pushgate.gateway.auth.TokenException;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.policy.NamespacePolicy;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.Topics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;

/**
 * One session's identity and permissions: the token presented at the upgrade or with {@code connect}, its refresh,
 * the warning before it expires and the close at expiry (4501), and the subscribe/publish decisions. With no token
 * keys configured, everything is decided by the namespace policies alone. Loop-confined, like its session. The SSE
 * and long-poll transports use it too (with a token from the request), so every transport decides alike.
 */
public final class SessionAuth {
    private final Transport transport;
    private final SessionServices services;
    private Claims claims;
    private Future<?> warning;
    private Future<?> expiry;

    public SessionAuth(Transport transport, SessionServices services) {
        this.transport = transport;
        this.services = services;
    }

    /** The user id of a verified token, or null. */
    public String user() {
        return claims == null ? null : claims.user();
    }

    /** A token already verified at the upgrade (query parameter). */
    public void authenticated(Claims verified) {
        claims = verified;
        scheduleExpiry();
    }

    /** {@code connect}: verifies and adopts the token; on failure answers {@code unauthorized} and closes. */
    void connect(Long requestId, String token) {
        if (services.tokens() == null) {
            transport.send(ProtocolCodec.error(requestId, ErrorCode.BAD_REQUEST, "tokens are not enabled on this gateway"));
            return;
        }
        if (claims != null) {
            transport.send(ProtocolCodec.error(requestId, ErrorCode.BAD_REQUEST, "already connected; use refresh"));
            return;
        }
        try {
            claims = services.tokens().verify(token);
        } catch (TokenException e) {
            refuse(requestId, e);
            return;
        }
        scheduleExpiry();
        transport.send(ProtocolCodec.authAck(requestId, claims.user(), secondsLeft()));
    }

    /** {@code refresh}: a new token for the same user replaces the old one and its expiry. */
    void refresh(Long requestId, String token) {
        if (claims == null || services.tokens() == null) {
            transport.send(ProtocolCodec.error(requestId, ErrorCode.BAD_REQUEST, "nothing to refresh: connect first"));
            return;
        }
        Claims fresh;
        try {
            fresh = services.tokens().verify(token);
        } catch (TokenException e) {
            services.metrics().authFailure(e.expired() ? "expired" : "invalid");
            transport.send(ProtocolCodec.error(requestId, ErrorCode.UNAUTHORIZED, e.getMessage()));
            return;
        }
        if (!fresh.user().equals(claims.user())) {
            transport.send(ProtocolCodec.error(requestId, ErrorCode.FORBIDDEN, "refresh token is for another user"));
            return;
        }
        claims = fresh;
        scheduleExpiry();
        transport.send(ProtocolCodec.authAck(requestId, claims.user(), secondsLeft()));
    }

    /** Throws the documented refusal when this connection may not subscribe to {@code topic}. */
    public void checkSubscribe(String topic, Long requestId) throws ProtocolException {
        if (!services.adminEnabled() && Topics.namespace(topic).equals(NamespacePolicies.INTERNAL_NAMESPACE)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN,
                    "namespace '" + NamespacePolicies.INTERNAL_NAMESPACE + "' is reserved", requestId);
        }
        if (services.tokens() == null || (claims != null && claims.maySubscribe(topic))
                || services.policies().forTopic(topic).anonymous()) {
            return;
        }
        throw claims == null
                ? new ProtocolException(ErrorCode.UNAUTHORIZED, "namespace '" + Topics.namespace(topic) + "' needs a token", requestId)
                : new ProtocolException(ErrorCode.FORBIDDEN, "token does not allow subscribing to " + topic, requestId);
    }

    /** Throws the documented refusal when this connection may not publish to {@code topic}. */
    public void checkPublish(String topic, Long requestId) throws ProtocolException {
        if (claims != null && claims.mayPublish(topic)) {
            return;
        }
        NamespacePolicy policy = services.policies().forTopic(topic);
        if (policy.clientPublish()) {
            checkSubscribe(topic, requestId);
            return;
        }
        throw new ProtocolException(ErrorCode.FORBIDDEN,
                "clients may not publish to namespace '" + Topics.namespace(topic) + "'", requestId);
    }

    /** Cancels the timers (the connection is gone). */
    public void closed() {
        cancel();
    }

    private void refuse(Long requestId, TokenException e) {
        services.metrics().authFailure(e.expired() ? "expired" : "invalid");
        transport.send(ProtocolCodec.error(requestId, ErrorCode.UNAUTHORIZED, e.getMessage()));
        transport.close(e.expired() ? CloseCode.TOKEN_EXPIRED : CloseCode.UNAUTHORIZED);
    }

    private void scheduleExpiry() {
        cancel();
        if (claims == null || claims.expiresAt() == null) {
            return;
        }
        Claims current = claims;
        Duration left = Duration.between(Instant.now(), current.expiresAt());
        Duration warnIn = left.minus(services.refreshWarning());
        warning = transport.schedule(() -> {
            if (claims == current) {
                transport.send(ProtocolCodec.expiring(Math.max(0, secondsLeft())));
            }
        }, warnIn.isNegative() ? Duration.ZERO : warnIn);
        expiry = transport.schedule(() -> {
            if (claims == current) {
                services.metrics().authFailure("expired");
                transport.close(CloseCode.TOKEN_EXPIRED);
            }
        }, left.isNegative() ? Duration.ZERO : left);
    }

    private long secondsLeft() {
        return claims.expiresAt() == null ? -1
                : Math.max(0, Duration.between(Instant.now(), claims.expiresAt()).toSeconds());
    }

    private void cancel() {
        if (warning != null) {
            warning.cancel(false);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
    }
}
