package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
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
import static org.junit.jupiter.api.Assertions.assertNull;

/** Presence and join/leave events on the in-memory layer (one node): the same contract as on Redis. */
class PresenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("node-id", "solo", "namespaces.room.presence", "true",
                "namespaces.room.join-leave", "true", "namespaces.room.anonymous", "true"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void presenceFollowsSubscriptions() throws Exception {
        String topic = "chat.here";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe(topic);
            b.subscribe(topic);
            assertEquals(Set.of(client(a) + "@solo", client(b) + "@solo"), members(topic));
            a.unsubscribe(topic);
            assertEquals(Set.of(client(b) + "@solo"), members(topic));
            // chat has presence but no join/leave events.
            assertNull(b.poll(Duration.ofMillis(100)));
        }
        Await.until(Duration.ofSeconds(5), () -> members(topic).isEmpty(), () -> "members " + members(topic));
    }

    @Test
    void joinAndLeaveEvents() throws Exception {
        String topic = "room.solo";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe(topic);
            JsonNode own = a.next(n -> n.path("op").asText().equals("join"));
            assertEquals(client(a), own.path("member").path("client").asText(), "the joiner sees its own join");
            b.subscribe(topic);
            JsonNode join = a.next(n -> n.path("op").asText().equals("join"));
            assertEquals(client(b), join.path("member").path("client").asText());
            assertEquals("solo", join.path("member").path("node").asText());
            b.unsubscribe(topic);
            JsonNode leave = a.next(n -> n.path("op").asText().equals("leave"));
            assertEquals(client(b), leave.path("member").path("client").asText());
        }
    }

    private static String client(WsClient c) {
        return c.connected().path("client").asText();
    }

    private static Set<String> members(String topic) {
        try {
            var r = Http.send(HttpRequest.newBuilder(URI.create(TestGateways.httpUrl(gateway)
                    + "/api/presence?topic=" + topic)).header("Authorization", "Bearer " + TestGateways.API_KEY)
                    .GET().build());
            assertEquals(200, r.statusCode(), r.body());
            Set<String> out = new TreeSet<>();
            for (JsonNode m : JSON.readTree(r.body()).path("members")) {
                out.add(m.path("client").asText() + "@" + m.path("node").asText());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
