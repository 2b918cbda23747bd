package dev.pushgate.gateway.api;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz} (the process is alive: always 200) and {@code GET /readyz} (200 while the node accepts
 * traffic: channel layer up and not draining; 503 otherwise).
 */
public final class HealthEndpoint implements HttpEndpoint {
    private final String route;
    private final BooleanSupplier ok;

    private HealthEndpoint(String route, BooleanSupplier ok) {
        this.route = route;
        this.ok = ok;
    }

    public static HealthEndpoint liveness() {
        return new HealthEndpoint("healthz", () -> true);
    }

    public static HealthEndpoint readiness(BooleanSupplier ready) {
        return new HealthEndpoint("readyz", ready);
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public void handle(HttpExchange ex) {
        boolean up = ok.getAsBoolean();
        ex.json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                (up ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8));
    }
}
