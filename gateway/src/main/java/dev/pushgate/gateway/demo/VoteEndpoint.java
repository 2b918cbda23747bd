package dev.pushgate.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live vote from the seeds: {@code GET /demo/vote} returns the current counts, {@code POST /demo/vote} with
 * {@code {"candidate":"1"}} adds a vote and publishes the whole snapshot to topic {@code demo.vote}, so every open
 * page on every node updates once. Counts live in the channel layer ({@link DemoStore}), so every node answers the
 * same ones; each snapshot carries the poll's {@code version} (the number of votes so far, cluster-wide), and pages
 * keep the newest they have seen. Every click counts (a demo, not a ballot box). Stateless.
 */
public final class VoteEndpoint implements HttpEndpoint {
    /** The topic snapshots are published to. */
    public static final String TOPIC = "demo.vote";
    /** The poll's name in the store. */
    static final String POLL = "demo";
    private static final Logger log = LoggerFactory.getLogger(VoteEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = names();
    private static final List<String> IDS = List.copyOf(NAMES.keySet());

    private final PublishService publisher;
    private final DemoStore store;

    public VoteEndpoint(PublishService publisher, DemoStore store) {
        this.publisher = publisher;
        this.store = store;
    }

    private static Map<String, String> names() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("1", "Ada Lovelace");
        names.put("2", "Grace Hopper");
        names.put("3", "Alan Turing");
        return names;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.POST);
    }

    @Override
    public String route() {
        return "demo_vote";
    }

    @Override
    public void handle(HttpExchange ex) {
        if (ex.request().method().equals(HttpMethod.GET)) {
            store.tally(POLL, IDS).whenComplete((tally, err) -> answer(ex, tally, err));
            return;
        }
        String candidate;
        try {
            JsonNode body = JSON.readTree(ex.body());
            candidate = body != null && body.path("candidate").isTextual() ? body.get("candidate").asText() : null;
        } catch (IOException e) {
            candidate = null;
        }
        if (candidate == null || !NAMES.containsKey(candidate)) {
            ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "body must be {\"candidate\":\"<id>\"} with a known id");
            return;
        }
        store.vote(POLL, candidate, IDS).whenComplete((tally, err) -> {
            if (err == null) {
                publisher.publish(TOPIC, snapshot(tally), PublishSource.INTERNAL).whenComplete((p, e) -> {
                    if (e != null) {
                        log.debug("vote snapshot not published: error={}", e.toString());
                    }
                });
            }
            answer(ex, tally, err);
        });
    }

    private static void answer(HttpExchange ex, DemoStore.Tally tally, Throwable err) {
        if (err != null) {
            ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, "the channel layer is unavailable");
            return;
        }
        ex.json(HttpResponseStatus.OK, snapshot(tally));
    }

    /** {@code {"version":n,"candidates":[{"id":..,"name":..,"count":..}]}}. */
    static byte[] snapshot(DemoStore.Tally tally) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", tally.version());
        ArrayNode list = root.putArray("candidates");
        NAMES.forEach((id, name) -> list.addObject().put("id", id).put("name", name)
                .put("count", tally.counts().getOrDefault(id, 0L)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
