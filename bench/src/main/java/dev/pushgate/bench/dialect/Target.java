package dev.pushgate.bench.dialect;

import java.util.Locale;

/** The server under test, chosen with {@code --target}. */
public enum Target {
    /** A pushgate gateway: JSON ops at {@code /ws}, HTTP publish at {@code /api/publish}. */
    PUSHGATE(new PushgateDialect(), "ws://127.0.0.1:8080/ws"),
    /** The Socket.IO v4 peer in {@code bench/peer/socketio}. */
    SOCKETIO(new SocketIoDialect(), "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"),
    /**
     * The uWebSockets.js peer in {@code bench/peer/uws}: it speaks the subset of pushgate's protocol the bench uses
     * (and pushgate's Redis envelope), so it shares pushgate's dialect.
     */
    UWS(new PushgateDialect(), "ws://127.0.0.1:3100/ws");

    private final Dialect dialect;
    private final String defaultUrl;

    Target(Dialect dialect, String defaultUrl) {
        this.dialect = dialect;
        this.defaultUrl = defaultUrl;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL used when no {@code --url} is given. */
    public String defaultUrl() {
        return defaultUrl;
    }

    /** The lowercase name used on the command line and in results. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target named {@code name} (case-insensitive). */
    public static Target parse(String name) {
        for (Target t : values()) {
            if (t.label().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target: " + name + " (pushgate, socketio or uws)");
    }
}
