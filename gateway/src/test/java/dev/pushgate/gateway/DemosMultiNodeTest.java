package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demos behind a load balancer: two nodes on one Redis show one vote and one tail -f stream. */
class DemosMultiNodeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway nodeA;
    private static Gateway nodeB;

    @BeforeAll
    static void start() {
        String prefix = RedisServerExtension.uniquePrefix("demos");
        nodeA = TestGateways.start(with(REDIS.gatewayConfig(prefix), "node-id", "gw-a"));
        nodeB = TestGateways.start(with(REDIS.gatewayConfig(prefix), "node-id", "gw-b"));
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
    }

    private static Map<String, String> with(Map<String, String> config, String key, String value) {
        Map<String, String> m = new HashMap<>(config);
        m.put(key, value);
        return m;
    }

    @Test
    void aVoteThroughOneNodeIsCountedAndPushedOnceOnEveryNode() throws Exception {
        try (WsClient onA = WsClient.connect(TestGateways.wsUrl(nodeA));
             WsClient onB = WsClient.connect(TestGateways.wsUrl(nodeB))) {
            onA.subscribe("demo.vote");
            onB.subscribe("demo.vote");
            JsonNode before = JSON.readTree(Http.get(TestGateways.httpUrl(nodeB) + "/demo/vote").body());
            long turing = count(before, "3");

            HttpResponse<String> vote = Http.post(TestGateways.httpUrl(nodeA) + "/demo/vote", null, "application/json",
                    "{\"candidate\":\"3\"}");
            assertEquals(200, vote.statusCode(), vote.body());
            JsonNode voted = JSON.readTree(vote.body());
            assertEquals(turing + 1, count(voted, "3"));
            assertEquals(before.path("version").asLong() + 1, voted.path("version").asLong());

            JsonNode readOnB = JSON.readTree(Http.get(TestGateways.httpUrl(nodeB) + "/demo/vote").body());
            assertEquals(voted, readOnB, "node B answers the counts node A counted");

            for (WsClient page : List.of(onA, onB)) {
                JsonNode pushed = page.nextMessage();
                assertEquals("demo.vote", pushed.path("topic").asText());
                assertEquals(voted, pushed.path("data"));
                JsonNode again = page.poll(Duration.ofMillis(500));
                assertNull(again, "each page sees the vote once, got also " + again);
            }
        }
    }

    @Test
    void tailShowsOneNodesLinesOnEveryNode() throws Exception {
        try (WsClient onA = WsClient.connect(TestGateways.wsUrl(nodeA));
             WsClient onB = WsClient.connect(TestGateways.wsUrl(nodeB))) {
            onA.subscribe("demo.tail");
            onB.subscribe("demo.tail");
            List<String> linesA = lines(onA, 3);
            List<String> linesB = lines(onB, 3);
            Set<String> nodes = new HashSet<>();
            for (String l : concat(linesA, linesB)) {
                nodes.add(l.substring(0, l.indexOf(' ')));
            }
            assertEquals(1, nodes.size(), "one node followed: " + nodes);
            assertTrue(Set.of("gw-a", "gw-b").containsAll(nodes), nodes.toString());
            assertEquals(linesA.size(), new HashSet<>(linesA).size(), "no line twice: " + linesA);
            assertEquals(linesB.size(), new HashSet<>(linesB).size(), "no line twice: " + linesB);
            assertTrue(linesA.stream().anyMatch(linesB::contains), "both pages show the same stream");
        }
    }

    /** The next {@code n} tail messages' lines, each as {@code "<node> <line>"}. */
    private static List<String> lines(WsClient page, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode data = page.nextMessage().path("data");
            assertTrue(data.path("node").isTextual(), "tail messages say which node they follow: " + data);
            data.path("lines").forEach(l -> out.add(data.path("node").asText() + " " + l.asText()));
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long count(JsonNode snapshot, String id) {
        for (JsonNode c : snapshot.path("candidates")) {
            if (c.path("id").asText().equals(id)) {
                return c.path("count").asLong();
            }
        }
        throw new AssertionError("no candidate " + id + " in " + snapshot);
    }
}
