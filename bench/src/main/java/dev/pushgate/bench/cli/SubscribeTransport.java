package dev.pushgate.bench.cli;

import java.util.Locale;

/** How fan-out subscribers receive, chosen with {@code --transport}. */
public enum SubscribeTransport {
    /** A WebSocket session that sends {@code subscribe}. */
    WS,
    /** A Server-Sent Events stream, {@code GET /sse?topic=T} (pushgate only). */
    SSE,
    /** Long-polling, {@code GET /poll?topic=T&since=…} in a loop, one request in flight (pushgate only). */
    POLL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SubscribeTransport parse(String word) {
        for (SubscribeTransport t : values()) {
            if (t.label().equalsIgnoreCase(word)) {
                return t;
            }
        }
        throw new UsageException("unknown transport: " + word + " (ws, sse or poll)");
    }
}
