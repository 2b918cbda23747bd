package dev.pushgate.bench.cli;

import java.util.Locale;

/** How publishers reach the server, chosen with {@code --publish}. */
public enum PublishMode {
    /** Publish requests on WebSocket connections. */
    WS,
    /** Batched {@code POST}s to the HTTP publish API. */
    HTTP,
    /** {@code PUBLISH} straight into the Redis channel layer (pushgate only). */
    REDIS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PublishMode parse(String word) {
        for (PublishMode m : values()) {
            if (m.label().equalsIgnoreCase(word)) {
                return m;
            }
        }
        throw new UsageException("unknown publish mode: " + word + " (ws, http or redis)");
    }
}
