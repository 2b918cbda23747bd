package dev.pushgate.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.protocol.ProtocolCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One subscriber of a topic as presence shows it: {@code {"client":"c-5f1e2a","node":"gw-1","user":null}}.
 *
 * @param client the connection id (unique across nodes)
 * @param node   the node the connection is on
 * @param user   the verified user id, or {@code null} for an anonymous connection
 */
public record PresenceMember(String client, String node, String user) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The member as compact JSON. */
    public byte[] toJson() {
        String json = "{\"client\":" + ProtocolCodec.quote(client) + ",\"node\":" + ProtocolCodec.quote(node)
                + ",\"user\":" + (user == null ? "null" : ProtocolCodec.quote(user)) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads what {@link #toJson()} wrote; fails on anything else. */
    public static PresenceMember fromJson(byte[] json) throws IOException {
        JsonNode n = JSON.readTree(json);
        if (n == null || !n.path("client").isTextual() || !n.path("node").isTextual()) {
            throw new IOException("not a presence member");
        }
        JsonNode user = n.path("user");
        return new PresenceMember(n.get("client").asText(), n.get("node").asText(),
                user.isTextual() ? user.asText() : null);
    }
}
