package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.metrics.MeterNames;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.MeterSnapshot;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.ProtocolCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's meters around real traffic: every counter moves by exactly what the test did (read from the node's
 * registry in the JVM), gauges follow connections and subscriptions, and every meter name the gateway declares is
 * served by {@code GET /metrics}. That the text format is valid Prometheus is checked by {@code promtool} and a real
 * Prometheus ({@code PrometheusPromtoolTest}, {@code PrometheusServerTest}).
 */
class OpsMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Meters that exist only on the Redis layer (checked by {@code PrometheusServerTest} on Redis nodes). */
    static final Set<String> REDIS_ONLY = Set.of(MeterNames.REDIS_OUTAGES, MeterNames.REDIS_RESUBSCRIBES,
            MeterNames.REDIS_RESUBSCRIBE_DURATION, MeterNames.REDIS_COMMAND_LATENCY, MeterNames.REDIS_MALFORMED,
            MeterNames.REDIS_CHANNELS, MeterNames.REDIS_PROBE_FAILURES);

    /** {@code GET /metrics}: the text the Prometheus registry serves. */
    static String scrape(String baseUrl) throws Exception {
        HttpResponse<String> r = Http.get(baseUrl + "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    /** The Prometheus names of every constant in {@link MeterNames}: dots become underscores. */
    static List<String> declaredMeters() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : MeterNames.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    /** Whether the scrape has a sample of {@code meter} (its name, or its name plus a suffix such as _total). */
    static boolean exported(String scrape, String meter) {
        String prefix = meter.replace('.', '_');
        return scrape.lines().anyMatch(l -> !l.startsWith("#") && (l.startsWith(prefix + " ") || l.startsWith(prefix + "{")
                || l.startsWith(prefix + "_")));
    }

    /** Whether the scrape has a sample named exactly {@code name}. */
    static boolean hasSample(String scrape, String name) {
        return scrape.lines().anyMatch(l -> l.startsWith(name + " ") || l.startsWith(name + "{"));
    }

    private static boolean isA(MeterRegistry r, String name, Class<?>... types) {
        List<Meter> meters = new ArrayList<>(r.find(name).meters());
        return !meters.isEmpty() && meters.stream().allMatch(m -> List.of(types).stream().anyMatch(t -> t.isInstance(m)));
    }

    @Test
    void countersMoveByExactlyWhatHappened() throws Exception {
        Gateway g = TestGateways.start(Map.of("demos.enabled", "false", "stats.interval", "1h",
                "auth.hmac-secret", TestTokens.SECRET, "namespaces.news.anonymous", "true"));
        try {
            String base = TestGateways.httpUrl(g);
            MeterRegistry registry = g.meterRegistry();
            MeterSnapshot before = MeterSnapshot.of(registry);
            assertTrue(isA(registry, MeterNames.MESSAGES_IN, Counter.class, FunctionCounter.class));
            assertTrue(isA(registry, MeterNames.FANOUT_LATENCY, Timer.class));
            assertTrue(isA(registry, MeterNames.CONNECTIONS, Gauge.class));
            long bytesIn = 0;
            long bytesOut = 0;

            WsClient a = WsClient.connect(TestGateways.wsUrl(g));
            WsClient b = WsClient.connect(TestGateways.wsUrl(g));
            bytesIn += request(a, 1, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"news.a\"}", "ack");
            bytesIn += request(b, 1, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.room\"}", "ack");
            bytesIn += request(b, 2, "{\"op\":\"subscribe\",\"id\":2,\"topic\":\"news.a\"}", "ack");
            Await.until(WAIT, () -> MeterSnapshot.of(registry).count(MeterNames.SUBSCRIPTIONS) == 3, () -> "subscriptions");
            MeterSnapshot during = MeterSnapshot.of(registry);
            assertEquals(2, during.count(MeterNames.CONNECTIONS, "transport", "websocket"));
            assertEquals(2, during.count(MeterNames.TOPICS));
            // A client publish (allowed in chat) and a refused one (news is backend-only).
            bytesIn += request(b, 3, "{\"op\":\"publish\",\"id\":3,\"topic\":\"chat.room\",\"data\":{\"n\":0}}", "ack");
            bytesIn += request(b, 4, "{\"op\":\"publish\",\"id\":4,\"topic\":\"news.a\",\"data\":1}", "error");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Http.publish(base, "{\"topic\":\"news.a\",\"data\":{\"i\":" + i + "}}").statusCode());
            }
            // Refused before publishing: the gateway's own namespace, a plain GET on /ws, a bad token.
            assertEquals(403, Http.publish(base, "{\"topic\":\"pushgate.stats\",\"data\":1}").statusCode());
            assertEquals(426, Http.get(base + "/ws").statusCode());
            IOException refused = assertThrows(IOException.class, () -> new RawWebSocket(g.port(), "/ws?token=bad"));
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());

            for (int i = 0; i < 3; i++) {
                bytesOut += delivered(a.nextMessage());
            }
            for (int i = 0; i < 4; i++) {
                bytesOut += delivered(b.nextMessage());
            }
            // A clean close (1000) from a raw client, and a binary frame the gateway refuses with 1003.
            try (RawWebSocket c = new RawWebSocket(g.port(), "/ws")) {
                c.readFrame(WAIT); // connected
                c.sendFrame(0x88, new byte[] {0x03, (byte) 0xE8});
                assertEquals(1000, c.awaitClose(WAIT).closeCode());
            }
            try (WsClient d = WsClient.connect(TestGateways.wsUrl(g))) {
                d.sendBinary(new byte[] {1, 2, 3});
                bytesIn += 3;
                assertEquals(1003, d.awaitClose());
            }
            a.close(); // both abort: no Close frame
            b.close();
            Await.until(WAIT, () -> MeterSnapshot.of(registry).count(MeterNames.CONNECTIONS) == 0, () -> "connections left");
            System.gc(); // the GC pause timers appear with the first collection the node is told about
            Await.until(WAIT, () -> MeterSnapshot.of(registry).has("jvm.gc.pause"), () -> "no GC pause timer");

            MeterSnapshot after = MeterSnapshot.of(registry);
            Delta d = new Delta(before, after);
            d.is(4, MeterNames.CONNECTIONS_OPENED, "transport", "websocket");
            d.is(1, MeterNames.CONNECTIONS_CLOSED, "code", "1000");
            d.is(1, MeterNames.CONNECTIONS_CLOSED, "code", "1003");
            d.is(2, MeterNames.CONNECTIONS_CLOSED, "code", "abnormal");
            d.is(1, MeterNames.MESSAGES_IN, "source", "client");
            d.is(3, MeterNames.MESSAGES_IN, "source", "http");
            d.is(0, MeterNames.MESSAGES_IN, "source", "redis");
            d.is(7, MeterNames.MESSAGES_OUT);
            d.is(bytesIn, MeterNames.PAYLOAD_IN);
            d.is(bytesOut, MeterNames.PAYLOAD_OUT);
            d.is(1, MeterNames.PUBLISH_ERRORS, "reason", "forbidden");
            d.is(0, MeterNames.PUBLISH_ERRORS, "reason", "unavailable");
            d.is(1, MeterNames.CLIENT_ERRORS, "code", "forbidden");
            d.is(1, MeterNames.HANDSHAKE_FAILURES, "reason", "not_upgrade");
            d.is(1, MeterNames.HANDSHAKE_FAILURES, "reason", "token");
            d.is(1, MeterNames.AUTH_FAILURES, "reason", "invalid");
            d.is(3, MeterNames.HTTP_REQUESTS, "route", "publish", "status", "200");
            d.is(1, MeterNames.HTTP_REQUESTS, "route", "publish", "status", "403");
            d.is(1, MeterNames.HTTP_REQUESTS, "route", "ws", "status", "426");
            d.is(1, MeterNames.HTTP_REQUESTS, "route", "ws", "status", "401");
            d.is(0, MeterNames.MESSAGES_DROPPED);
            d.is(0, MeterNames.SLOW_CONSUMER_CLOSES);
            // One latency sample per publication per event loop with subscribers: 4 publications, 1 or 2 loops.
            double samples = d.of(MeterNames.FANOUT_LATENCY);
            assertTrue(samples >= 4 && samples <= 7, "fan-out latency samples: " + samples);
            assertTrue(after.total(MeterNames.FANOUT_LATENCY) - before.total(MeterNames.FANOUT_LATENCY) > 0);
            assertEquals(0, after.count(MeterNames.SUBSCRIPTIONS));
            assertEquals(0, after.count(MeterNames.TOPICS));
            assertEquals(1, after.count(MeterNames.BROKER_UP, "layer", "memory"));

            String scrape = scrape(base);
            for (String meter : declaredMeters()) {
                if (!REDIS_ONLY.contains(meter)) {
                    assertTrue(exported(scrape, meter), "not in the scrape: " + meter);
                }
            }
            for (String runtime : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")) {
                assertTrue(hasSample(scrape, runtime), "not in the scrape: " + runtime);
            }
        } finally {
            g.close();
        }
    }

    @Test
    void aSeparateMetricsPortServesOnlyMetricsAndHealth() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Gateway g = TestGateways.start(Map.of("metrics.port", Integer.toString(port), "demos.enabled", "false"));
        try {
            assertEquals(port, g.metricsPort());
            String ops = "http://127.0.0.1:" + port;
            assertTrue(exported(scrape(ops), MeterNames.CONNECTIONS));
            assertEquals(200, Http.get(ops + "/readyz").statusCode());
            assertEquals(200, Http.get(ops + "/healthz").statusCode());
            assertEquals(404, Http.get(ops + "/ws").statusCode());
            assertEquals(404, Http.get(ops + "/api/stats").statusCode());
            assertEquals(405, Http.post(ops + "/metrics", null, null, "").statusCode());
            // Not on the client-facing port any more.
            assertEquals(404, Http.get(TestGateways.httpUrl(g) + "/metrics").statusCode());
            assertEquals(200, Http.get(TestGateways.httpUrl(g) + "/readyz").statusCode());
        } finally {
            g.close();
        }
    }

    @Test
    void theReadmeMetricTableListsEveryMeter() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        for (String meter : declaredMeters()) {
            assertTrue(readme.contains("| `" + meter.replace('.', '_')), "README's metric table lacks " + meter);
        }
    }

    /** Sends {@code text} and waits for the answer to {@code id} with {@code op}; returns the bytes sent. */
    private static long request(WsClient c, long id, String text, String op) throws InterruptedException {
        c.sendText(text);
        JsonNode reply = c.awaitReply(id);
        assertEquals(op, reply.path("op").asText(), reply.toString());
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The size of the frame the gateway wrote for {@code message}. */
    private static long delivered(JsonNode message) throws Exception {
        byte[] data = JSON.writeValueAsBytes(message.get("data"));
        return ProtocolCodec.message(message.path("topic").asText(), message.path("seq").asLong(-1), data).length;
    }

    /** Differences between two snapshots of the registry. */
    private record Delta(MeterSnapshot before, MeterSnapshot after) {
        double of(String name, String... tags) {
            assertTrue(after.has(name, tags), "no meter " + name + " " + List.of(tags));
            return after.count(name, tags) - before.count(name, tags);
        }

        void is(double expected, String name, String... tags) {
            assertEquals(expected, of(name, tags), name + " " + List.of(tags));
        }
    }
}
