package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.StaticFiles;

import java.util.Map;

/**
 * The HTTP routes of the listener: exact paths to endpoints, plus the static files (or {@code null}).
 *
 * @param endpoints path → endpoint
 * @param files     static files served for other GET paths, or {@code null}
 */
public record Routes(Map<String, HttpEndpoint> endpoints, StaticFiles files) {
    /** The WebSocket endpoint's path. */
    public static final String WS_PATH = "/ws";
    /** The diagnostic echo endpoint's path (when {@code ws.echo-enabled}). */
    public static final String ECHO_PATH = "/ws/echo";
}
