package dev.pushgate.gateway.transport;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Decodes a request target once, up front, so that a malformed percent-encoding ({@code /%zz}) is a 400 for the
 * client instead of an {@code IllegalArgumentException} thrown later by whichever code first reads the path or a
 * parameter (Netty's {@link QueryStringDecoder} decodes lazily). Stateless.
 */
final class RequestTargets {
    private RequestTargets() {
    }

    /** {@code uri}'s path and parameters, decoded; {@code null} when its percent-encoding is malformed. */
    static QueryStringDecoder decode(String uri) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        try {
            query.path();
            query.parameters();
            return query;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code uri}'s path with every {@code %} taken literally and without its query (which may hold a token): what
     * the access log shows for a request whose target does not decode, or did not parse.
     */
    static QueryStringDecoder undecoded(String uri) {
        return new QueryStringDecoder(new QueryStringDecoder(uri).rawPath().replace("%", "%25"));
    }
}
