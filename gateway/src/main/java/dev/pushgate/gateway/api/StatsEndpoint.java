package dev.pushgate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.gateway.stats.ClusterStats;
import dev.pushgate.gateway.stats.NodeStats;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/stats} (API key with scope {@code stats}): the latest numbers of every node heard from in the last
 * three stats intervals, this one included, and their sums:
 * {@code {"node":"gw-1","nodes":[{...},...],"totals":{"nodes":2,"connections":..,...}}}. Topics are per node only
 * (nodes share topics, so a sum would mean nothing). 401 without a key of that scope.
 */
public final class StatsEndpoint implements HttpEndpoint {
    private static final JsonFactory JSON = new JsonFactory();

    private final ApiKeys keys;
    private final String node;
    private final ClusterStats cluster;

    public StatsEndpoint(ApiKeys keys, String node, ClusterStats cluster) {
        this.keys = keys;
        this.node = node;
        this.cluster = cluster;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "stats";
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ApiKeyCheck.allowed(ex, keys, "stats")) {
            return;
        }
        ex.json(HttpResponseStatus.OK, body(node, cluster.current()));
    }

    static byte[] body(String node, List<NodeStats> nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 320 * nodes.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("node", node);
            g.writeArrayFieldStart("nodes");
            for (NodeStats s : nodes) {
                s.write(g);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("totals");
            g.writeNumberField("nodes", nodes.size());
            g.writeNumberField("connections", nodes.stream().mapToLong(NodeStats::connections).sum());
            g.writeNumberField("subscriptions", nodes.stream().mapToLong(NodeStats::subscriptions).sum());
            g.writeNumberField("messages_in_per_second", round(nodes.stream().mapToDouble(NodeStats::messagesIn).sum()));
            g.writeNumberField("messages_out_per_second",
                    round(nodes.stream().mapToDouble(NodeStats::messagesOut).sum()));
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static double round(double rate) {
        return Math.round(rate * 100) / 100.0;
    }
}
