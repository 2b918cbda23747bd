package dev.pushgate.gateway.api;

import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The API key check every {@code /api/*} endpoint starts with: no key or an unknown one answers 401
 * {@code unauthorized}; a known key without the endpoint's scope answers 403 {@code forbidden} naming the scope, so
 * the caller knows which key to fix. Stateless.
 */
final class ApiKeyCheck {
    private ApiKeyCheck() {
    }

    /** True when the request may go on; otherwise it has been answered. */
    static boolean allowed(HttpExchange ex, ApiKeys keys, String scope) {
        switch (keys.check(ex.request().headers().get(HttpHeaderNames.AUTHORIZATION), scope)) {
            case ALLOWED -> {
                return true;
            }
            case MISSING_SCOPE -> ex.error(HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "API key lacks scope " + scope);
            default -> ex.error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "missing or invalid API key");
        }
        return false;
    }
}
