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

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live vote from the seeds: {@code GET /demo/vote} returns the current counts, {@code POST /demo/vote} with
 * {@code {"candidate":"1"}} adds a vote and publishes the whole snapshot to topic {@code demo.vote}, so every open
 * page updates. Each snapshot carries a rising {@code version}; pages keep the newest they have seen. Counts live in
 * this node's memory (a demo, not a ballot box).
 */
public final class VoteEndpoint implements HttpEndpoint {
    /** The topic snapshots are published to. */
    public static final String TOPIC = "demo.vote";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PublishService publisher;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long version;

    public VoteEndpoint(PublishService publisher) {
        this.publisher = publisher;
        names.put("1", "Ada Lovelace");
        names.put("2", "Grace Hopper");
        names.put("3", "Alan Turing");
        names.keySet().forEach(id -> counts.put(id, 0L));
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
            ex.json(HttpResponseStatus.OK, snapshot());
            return;
        }
        String candidate;
        try {
            JsonNode body = JSON.readTree(ex.body());
            candidate = body != null && body.path("candidate").isTextual() ? body.get("candidate").asText() : null;
        } catch (IOException e) {
            candidate = null;
        }
        if (candidate == null || !names.containsKey(candidate)) {
            ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "body must be {\"candidate\":\"<id>\"} with a known id");
            return;
        }
        byte[] snapshot;
        synchronized (this) {
            counts.merge(candidate, 1L, Long::sum);
            snapshot = snapshot();
            // Published under the lock so snapshots enter the channel layer in version order.
            publisher.publish(TOPIC, snapshot, PublishSource.INTERNAL);
        }
        ex.json(HttpResponseStatus.OK, snapshot);
    }

    private synchronized byte[] snapshot() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", ++version);
        ArrayNode list = root.putArray("candidates");
        names.forEach((id, name) -> list.addObject().put("id", id).put("name", name).put("count", counts.get(id)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
