package dev.pushgate.gateway.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One node's numbers at one moment, as published to {@code pushgate.stats} and answered by {@code GET /api/stats}.
 * Rates are per second over the last few seconds. The JSON form uses snake_case names.
 *
 * @param node           the node id
 * @param layer          the channel layer ({@code memory}, {@code redis})
 * @param ready          whether the node takes traffic ({@code /readyz})
 * @param uptimeSeconds  seconds since the node started
 * @param connections    open WebSocket connections
 * @param topics         topics with local subscribers
 * @param subscriptions  local (connection, topic) subscriptions
 * @param messagesIn     publications accepted per second (client, HTTP and internal)
 * @param messagesOut    message frames written to subscribers per second
 * @param bytesIn        WebSocket payload bytes received per second
 * @param bytesOut       message payload bytes written per second
 * @param intervalMillis how often the node publishes (receivers forget it after three intervals without news)
 * @param at             when it was sampled, epoch milliseconds (the node's clock)
 */
public record NodeStats(String node, String layer, boolean ready, long uptimeSeconds, long connections, long topics,
                        long subscriptions, double messagesIn, double messagesOut, double bytesIn, double bytesOut,
                        long intervalMillis, long at) {
    /** Longest node id accepted from the wire. */
    static final int MAX_NODE_LENGTH = 200;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    /** Compact JSON. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes this as one JSON object. */
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("node", node);
        g.writeStringField("layer", layer);
        g.writeBooleanField("ready", ready);
        g.writeNumberField("uptime_seconds", uptimeSeconds);
        g.writeNumberField("connections", connections);
        g.writeNumberField("topics", topics);
        g.writeNumberField("subscriptions", subscriptions);
        g.writeNumberField("messages_in_per_second", round(messagesIn));
        g.writeNumberField("messages_out_per_second", round(messagesOut));
        g.writeNumberField("bytes_in_per_second", round(bytesIn));
        g.writeNumberField("bytes_out_per_second", round(bytesOut));
        g.writeNumberField("interval_ms", intervalMillis);
        g.writeNumberField("at", at);
        g.writeEndObject();
    }

    private static double round(double rate) {
        return Math.round(rate * 100) / 100.0;
    }

    /**
     * Reads what another node published. Anyone who can publish to the Redis channel can send anything, so every
     * field is checked.
     *
     * @throws IllegalArgumentException when it is not a valid stats object
     */
    public static NodeStats fromJson(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        String node = text(n, "node");
        if (node.isEmpty() || node.length() > MAX_NODE_LENGTH) {
            throw new IllegalArgumentException("bad node id");
        }
        return new NodeStats(node, text(n, "layer"), n.path("ready").asBoolean(false),
                count(n, "uptime_seconds"), count(n, "connections"), count(n, "topics"), count(n, "subscriptions"),
                rate(n, "messages_in_per_second"), rate(n, "messages_out_per_second"),
                rate(n, "bytes_in_per_second"), rate(n, "bytes_out_per_second"),
                Math.max(1, count(n, "interval_ms")), count(n, "at"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field " + field);
        }
        return v.asText();
    }

    private static long count(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException("missing count " + field);
        }
        return v.asLong();
    }

    private static double rate(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
            throw new IllegalArgumentException("missing rate " + field);
        }
        return v.asDouble();
    }
}
