package dev.pushgate.gateway.api;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/** One HTTP route. Called on the connection's event loop; must not block (answer later if work is async). */
public interface HttpEndpoint {

    /** The methods this route answers; others get 405. */
    Set<HttpMethod> methods();

    /** A short route label for metrics and the access log, e.g. {@code publish}. */
    String route();

    /** Answers the request; the exchange owns and releases it. */
    void handle(HttpExchange exchange);
}
