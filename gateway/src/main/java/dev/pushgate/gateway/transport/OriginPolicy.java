package dev.pushgate.gateway.transport;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket (against cross-site WebSocket hijacking). With no list configured,
 * only same-origin pages (Origin host:port equals the Host header) and clients that send no Origin (backends,
 * native apps) pass; {@code *} lets any origin in; otherwise the Origin must be in the list. Immutable.
 */
public final class OriginPolicy {
    private final boolean any;
    private final Set<String> allowed;

    OriginPolicy(List<String> configured) {
        this.any = configured.contains("*");
        this.allowed = configured.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a request with this {@code Origin} (may be null) and {@code Host} header may upgrade. */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = normalise(origin);
        if (allowed.contains(o)) {
            return true;
        }
        if (!allowed.isEmpty() || host == null) {
            return false;
        }
        try {
            URI u = URI.create(o);
            String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return authority != null && (authority.equalsIgnoreCase(host)
                    || authority.equalsIgnoreCase(stripDefaultPort(host, u.getScheme())));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether any cross-origin HTTP calls are allowed (then CORS headers are sent). */
    boolean crossOrigin() {
        return any || !allowed.isEmpty();
    }

    Set<String> allowed() {
        return allowed;
    }

    boolean any() {
        return any;
    }

    private static String stripDefaultPort(String host, String scheme) {
        if ("http".equals(scheme) && host.endsWith(":80")) {
            return host.substring(0, host.length() - 3);
        }
        if ("https".equals(scheme) && host.endsWith(":443")) {
            return host.substring(0, host.length() - 4);
        }
        return host;
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
