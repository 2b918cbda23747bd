package dev.pushgate.gateway.testing;

import dev.pushgate.gateway.Gateway;
import dev.pushgate.gateway.config.ConfigLoader;

import java.util.HashMap;
import java.util.Map;

/** Starts real gateway nodes on free ports for tests; short heartbeat and drain times unless overridden. */
public final class TestGateways {
    /** The API key every test gateway accepts. */
    public static final String API_KEY = "test-api-key-0123";

    private TestGateways() {
    }

    /** A node with the defaults plus {@code overrides} (config key → value). */
    public static Gateway start(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("port", "0");
        all.put("host", "127.0.0.1");
        all.put("api-key", API_KEY);
        all.put("io-threads", "2");
        all.put("shutdown.grace", "3s");
        // Tests publish in bursts from one connection; the rate limit has its own test.
        all.put("limits.messages-per-second", "100000");
        all.put("limits.messages-burst", "100000");
        all.putAll(overrides);
        return Gateway.start(ConfigLoader.of(all));
    }

    /** A node with the test defaults. */
    public static Gateway start() {
        return start(Map.of());
    }

    /** The WebSocket URL of {@code g}. */
    public static String wsUrl(Gateway g) {
        return "ws://127.0.0.1:" + g.port() + "/ws";
    }

    /** The HTTP base URL of {@code g}. */
    public static String httpUrl(Gateway g) {
        return "http://127.0.0.1:" + g.port();
    }
}
