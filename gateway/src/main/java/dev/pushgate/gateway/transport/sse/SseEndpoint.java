package dev.pushgate.gateway.transport.sse;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.transport.OriginPolicy;
import dev.pushgate.gateway.transport.fallback.RequestSlots;
import dev.pushgate.gateway.transport.fallback.SubscribeRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code GET /sse?topic=A[&topic=B…]}: checks the request ({@link SubscribeRequest}; the position token comes from
 * {@code Last-Event-ID} or the {@code lastEventId} parameter), takes a stream slot (429 per IP, 503 in total) and
 * hands the connection to a new {@link SseStream}. Shared.
 */
public final class SseEndpoint implements HttpEndpoint {
    /** The path. */
    public static final String PATH = "/sse";

    private final SessionServices services;
    private final OriginPolicy origins;
    private final RequestSlots slots;
    private final OutboundBudget budget;
    private final Duration retry;
    private final Duration heartbeat;
    private final Consumer<ChannelHandlerContext> streaming;

    /** {@code streaming} turns the connection's pipeline into a streaming one (the initializer's). */
    public SseEndpoint(SessionServices services, OriginPolicy origins, RequestSlots slots, OutboundBudget budget,
                       Duration retry, Duration heartbeat, Consumer<ChannelHandlerContext> streaming) {
        this.services = services;
        this.origins = origins;
        this.slots = slots;
        this.budget = budget;
        this.retry = retry;
        this.heartbeat = heartbeat;
        this.streaming = streaming;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "sse";
    }

    @Override
    public void handle(HttpExchange ex) {
        String last = ex.request().headers().get("Last-Event-ID");
        if (last == null || last.isEmpty()) {
            last = ex.param("lastEventId");
        }
        SseStream stream = new SseStream(ex.context(), services);
        SubscribeRequest req = SubscribeRequest.parse(ex, last, services, origins, stream);
        if (req == null) {
            return;
        }
        if (!slots.acquireOrRefuse(ex, req, "SSE streams")) {
            return;
        }
        if (!ex.stream(HttpResponseStatus.OK)) {
            slots.release(req.ip());
            req.auth().closed();
            return;
        }
        stream.start(req, budget, retry, heartbeat, () -> slots.release(req.ip()), streaming);
    }
}
