package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.SseClient;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SSE stream with a token is a presence member of its topics like a WebSocket session: listed from its ack on,
 * {@code join} and {@code leave} sent to the topic's subscribers, gone when the stream ends. Anonymous streams are not.
 */
class SsePresenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("node-id", "solo", "auth.hmac-secret", TestTokens.SECRET,
                "namespaces.room.presence", "true", "namespaces.room.join-leave", "true",
                "namespaces.room.anonymous", "true"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anAuthenticatedStreamJoinsAndLeavesItsTopics() throws Exception {
        String topic = "room.sse-presence";
        String token = TestTokens.hs256(TestTokens.claims("alice", 600L, "[\"room.*\"]", null));
        try (WsClient watcher = WsClient.connect(TestGateways.wsUrl(gateway))) {
            watcher.subscribe(topic);
            watcher.next(n -> n.path("op").asText().equals("join")); // its own
            String client;
            try (SseClient s = SseClient.open(TestGateways.httpUrl(gateway) + "/sse?topic=" + topic
                    + "&token=" + token)) {
                assertEquals(200, s.status());
                assertEquals("ack", s.next().data().path("op").asText());
                assertEquals(Set.of("-", "alice"), users(topic), "a member by the time the ack arrives");
                JsonNode join = watcher.next(n -> n.path("op").asText().equals("join"));
                client = join.path("member").path("client").asText();
                assertTrue(client.startsWith("s-"), join.toString());
                assertEquals("alice", join.path("member").path("user").asText(), join.toString());
            }
            JsonNode leave = watcher.next(n -> n.path("op").asText().equals("leave"));
            assertEquals(client, leave.path("member").path("client").asText(), leave.toString());
            Await.until(Duration.ofSeconds(5), () -> users(topic).equals(Set.of("-")), () -> "members " + users(topic));
        }
    }

    @Test
    void anAnonymousStreamIsNotAMember() throws Exception {
        String topic = "room.sse-anonymous";
        try (SseClient s = SseClient.open(TestGateways.httpUrl(gateway) + "/sse?topic=" + topic)) {
            assertEquals(200, s.status());
            assertEquals("ack", s.next().data().path("op").asText());
            assertEquals(Set.of(), users(topic));
        }
    }

    /** The members' users (anonymous members as "-"). */
    private static Set<String> users(String topic) {
        try {
            var r = Http.send(HttpRequest.newBuilder(URI.create(TestGateways.httpUrl(gateway)
                    + "/api/presence?topic=" + topic)).header("Authorization", "Bearer " + TestGateways.API_KEY)
                    .GET().build());
            assertEquals(200, r.statusCode(), r.body());
            Set<String> out = new TreeSet<>();
            for (JsonNode m : JSON.readTree(r.body()).path("members")) {
                out.add(m.path("user").isMissingNode() || m.path("user").isNull() ? "-" : m.path("user").asText());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
