package dev.pushgate.gateway;

import java.net.BindException;
import java.util.Locale;

/**
 * A listener could not be bound. The message is the one line an operator needs, e.g.
 * {@code cannot listen on 0.0.0.0:8080: address already in use}.
 */
public final class ListenException extends RuntimeException {
    private final int port;

    ListenException(String host, int port, Throwable cause) {
        super("cannot listen on " + host + ":" + port + ": " + reason(cause), cause);
        this.port = port;
    }

    /** The port that could not be bound. */
    public int port() {
        return port;
    }

    /** The operating system's reason, without the JDK's or Netty's wrapping ({@code bind(..) failed: ...}). */
    private static String reason(Throwable cause) {
        String m = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (m.toLowerCase(Locale.ROOT).contains("address already in use")) {
            return "address already in use";
        }
        int colon = m.lastIndexOf(": ");
        String r = colon >= 0 ? m.substring(colon + 2) : m;
        if (r.isEmpty()) {
            return cause instanceof BindException ? "cannot bind" : String.valueOf(cause);
        }
        return r.toLowerCase(Locale.ROOT);
    }
}
