package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence across nodes on Redis: listing, join/leave events, the HTTP API, and a crashed node's members expiring. */
class RedisPresenceTest {
    private static final Logger log = LoggerFactory.getLogger(RedisPresenceTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TTL = Duration.ofSeconds(2);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("presence");
    private static Gateway node1;
    private static Gateway node2;

    @BeforeAll
    static void start() {
        node1 = TestGateways.start(config("node-a"));
        node2 = TestGateways.start(config("node-b"));
    }

    private static Map<String, String> config(String nodeId) {
        Map<String, String> m = REDIS.gatewayConfig(PREFIX);
        m.put("node-id", nodeId);
        m.put("presence.ttl", TTL.toMillis() + "ms");
        m.put("namespaces.room.presence", "true");
        m.put("namespaces.room.join-leave", "true");
        m.put("namespaces.room.anonymous", "true");
        return m;
    }

    @AfterAll
    static void stop() {
        node1.close();
        node2.close();
    }

    @Test
    void presenceListsTheMembersOfEveryNode() throws Exception {
        String topic = "chat.presence";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient b = WsClient.connect(TestGateways.wsUrl(node2))) {
            a.subscribe(topic);
            b.subscribe(topic);
            Set<String> expected = Set.of(client(a) + "@node-a", client(b) + "@node-b");
            Await.until(Duration.ofSeconds(5), () -> members(node2, topic).equals(expected),
                    () -> "members " + members(node2, topic));
            JsonNode body = presence(node1, topic);
            assertEquals(topic, body.path("topic").asText());
            assertEquals(2, body.path("count").asInt());
            assertTrue(body.path("members").get(0).path("user").isNull(), body.toString());

            a.unsubscribe(topic);
            Await.until(Duration.ofSeconds(5), () -> members(node1, topic).equals(Set.of(client(b) + "@node-b")),
                    () -> "members " + members(node1, topic));
            b.unsubscribe(topic);
            Await.until(Duration.ofSeconds(5), () -> members(node1, topic).isEmpty(),
                    () -> "members " + members(node1, topic));
        }
    }

    @Test
    void joinAndLeaveEventsReachSubscribersOnEveryNode() throws Exception {
        String topic = "room.events";
        WsClient b = WsClient.connect(TestGateways.wsUrl(node2));
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient c = WsClient.connect(TestGateways.wsUrl(node1))) {
            a.subscribe(topic);
            b.subscribe(topic);
            String bClient = client(b);
            JsonNode join = a.next(n -> n.path("op").asText().equals("join")
                    && n.path("member").path("client").asText().equals(bClient));
            assertEquals(topic, join.path("topic").asText());
            assertEquals("node-b", join.path("member").path("node").asText());
            assertTrue(join.path("member").has("user"));

            b.unsubscribe(topic);
            JsonNode leave = a.next(n -> n.path("op").asText().equals("leave"));
            assertEquals(bClient, leave.path("member").path("client").asText());
            assertEquals(topic, leave.path("topic").asText());

            // Leaving by disconnect sends the leave as well.
            c.subscribe(topic);
            b.subscribe(topic);
            b.close();
            JsonNode gone = a.next(n -> n.path("op").asText().equals("leave")
                    && n.path("member").path("client").asText().equals(bClient));
            assertEquals("node-b", gone.path("member").path("node").asText());
        } finally {
            b.close();
        }
    }

    @Test
    void presenceApiChecksKeyTopicAndPolicy() throws Exception {
        String base = TestGateways.httpUrl(node1) + "/api/presence";
        assertEquals(401, Http.get(base + "?topic=chat.x").statusCode());
        assertEquals(400, get(base).statusCode());
        HttpResponse<String> bad = get(base + "?topic=bad%20topic");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("invalid_topic"), bad.body());
        HttpResponse<String> off = get(base + "?topic=news.x");
        assertEquals(403, off.statusCode());
        assertTrue(off.body().contains("forbidden"), off.body());
        HttpResponse<String> empty = get(base + "?topic=chat.nobody");
        assertEquals(200, empty.statusCode());
        assertEquals("{\"topic\":\"chat.nobody\",\"count\":0,\"members\":[]}", empty.body());
    }

    @Test
    void membersOfAKilledNodeVanishWithinTheTtl() throws Exception {
        String topic = "chat.crash";
        Path nodeLog = Files.createTempFile("pushgate-crash-node", ".log");
        int port = freePort();
        Process crashNode = startChildNode(port, nodeLog);
        try (WsClient survivor = WsClient.connect(TestGateways.wsUrl(node1))) {
            String url = "http://127.0.0.1:" + port;
            // A JVM starting on a loaded 2-core machine can take long; the log is in the message (deleted below).
            Await.until(Duration.ofSeconds(90), () -> ready(url), () -> "child node not ready; log: " + tail(nodeLog));
            try (WsClient c1 = WsClient.connect("ws://127.0.0.1:" + port + "/ws");
                 WsClient c2 = WsClient.connect("ws://127.0.0.1:" + port + "/ws")) {
                survivor.subscribe(topic);
                c1.subscribe(topic);
                c2.subscribe(topic);
                Await.until(Duration.ofSeconds(5), () -> members(node1, topic).size() == 3,
                        () -> "members " + members(node1, topic));
                assertTrue(members(node1, topic).contains(client(c1) + "@node-crash"));

                crashNode.destroyForcibly(); // SIGKILL: no drain, no presence cleanup
                assertTrue(crashNode.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
                long killed = System.nanoTime();
                // Redis expires the members after the TTL; the slack is for a busy machine's scheduling.
                Await.until(TTL.plusSeconds(8), () -> members(node1, topic).size() == 1,
                        () -> "members " + members(node1, topic));
                long millis = (System.nanoTime() - killed) / 1_000_000;
                log.info("measured: crashed node's members gone after millis={} (ttl {})", millis, TTL);
                assertEquals(Set.of(client(survivor) + "@node-a"), members(node1, topic));
            }
        } finally {
            crashNode.destroyForcibly();
            Files.deleteIfExists(nodeLog);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A gateway node in its own JVM (so it can be killed), configured like the others through its environment. */
    private static Process startChildNode(int port, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GATEWAY_"));
        Map<String, String> settings = new HashMap<>(config("node-crash"));
        settings.put("port", Integer.toString(port));
        settings.put("host", "127.0.0.1");
        settings.put("api-key", TestGateways.API_KEY);
        settings.put("io-threads", "1");
        settings.put("demos.enabled", "false");
        settings.forEach((k, v) -> env.put(ConfigKey.envVarOf(k), v));
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static boolean ready(String url) {
        try {
            return Http.get(url + "/readyz").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String client(WsClient c) {
        return c.connected().path("client").asText();
    }

    /** {@code client@node} of every member of {@code topic}, as node {@code g} reports them. */
    private static Set<String> members(Gateway g, String topic) {
        Set<String> out = new TreeSet<>();
        for (JsonNode m : presence(g, topic).path("members")) {
            out.add(m.path("client").asText() + "@" + m.path("node").asText());
        }
        return out;
    }

    private static JsonNode presence(Gateway g, String topic) {
        try {
            HttpResponse<String> r = get(TestGateways.httpUrl(g) + "/api/presence?topic=" + topic);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(body.path("members").size(), body.path("count").asInt());
            return body;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestGateways.API_KEY).GET().build());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
