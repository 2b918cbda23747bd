package dev.pushgate.gateway.transport.poll;

import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.transport.OriginPolicy;
import dev.pushgate.gateway.transport.fallback.RequestSlots;
import dev.pushgate.gateway.transport.fallback.SubscribeRequest;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Duration;
import java.util.Set;

/**
 * {@code GET /poll?topic=A[&topic=B…][&since=TOKEN]}: checks the request ({@link SubscribeRequest}), takes a poll
 * slot (429 per IP, 503 in total) for as long as the poll is open, and hands it to a {@link PollHold}. Shared.
 */
public final class PollEndpoint implements HttpEndpoint {
    /** The path. */
    public static final String PATH = "/poll";

    private final SessionServices services;
    private final OriginPolicy origins;
    private final RequestSlots slots;
    private final Duration timeout;

    public PollEndpoint(SessionServices services, OriginPolicy origins, RequestSlots slots, Duration timeout) {
        this.services = services;
        this.origins = origins;
        this.slots = slots;
        this.timeout = timeout;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "poll";
    }

    @Override
    public void handle(HttpExchange ex) {
        PollHold hold = new PollHold(ex, services);
        SubscribeRequest req = SubscribeRequest.parse(ex, ex.param("since"), services, origins, hold);
        if (req == null) {
            return;
        }
        if (!slots.acquireOrRefuse(ex, req, "polls")) {
            return;
        }
        hold.start(req, timeout, () -> slots.release(req.ip()));
    }
}
