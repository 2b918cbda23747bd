package dev.pushgate.gateway.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code GET /metrics}: the Prometheus text exposition of every meter. */
public final class MetricsEndpoint implements HttpEndpoint {
    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "metrics";
    }

    @Override
    public void handle(HttpExchange ex) {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        ex.respond(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", Unpooled.wrappedBuffer(body));
    }
}
