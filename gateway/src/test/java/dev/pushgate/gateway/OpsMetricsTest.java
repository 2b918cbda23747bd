package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.metrics.MeterNames;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.PrometheusText;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.ProtocolCodec;
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
 * {@code GET /metrics} scraped around real traffic and parsed with a strict exposition-format parser: every counter
 * moves by exactly what the test did, gauges follow connections and subscriptions, and every meter name the gateway
 * declares is in the scrape.
 */
class OpsMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Meters that exist only on the Redis layer (checked by {@link OpsDeployFilesTest} against a Redis node). */
    static final Set<String> REDIS_ONLY = Set.of(MeterNames.REDIS_OUTAGES, MeterNames.REDIS_RESUBSCRIBES,
            MeterNames.REDIS_RESUBSCRIBE_DURATION, MeterNames.REDIS_COMMAND_LATENCY, MeterNames.REDIS_MALFORMED,
            MeterNames.REDIS_CHANNELS, MeterNames.REDIS_PROBE_FAILURES);

    static PrometheusText scrape(String baseUrl) throws Exception {
        HttpResponse<String> r = Http.get(baseUrl + "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(r.body());
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

    static boolean exported(PrometheusText scrape, String meter) {
        String prefix = meter.replace('.', '_');
        return scrape.sampleNames().stream().anyMatch(n -> n.equals(prefix) || n.startsWith(prefix + "_"));
    }

    @Test
    void countersMoveByExactlyWhatHappened() throws Exception {
        Gateway g = TestGateways.start(Map.of("demos.enabled", "false", "stats.interval", "1h",
                "auth.hmac-secret", TestTokens.SECRET, "namespaces.news.anonymous", "true"));
        try {
            String base = TestGateways.httpUrl(g);
            PrometheusText before = scrape(base);
            assertEquals("counter", before.family("pushgate_messages_in_total").type());
            assertEquals("histogram", before.family("pushgate_fanout_latency_seconds").type());
            assertEquals("gauge", before.family("pushgate_connections").type());
            long bytesIn = 0;
            long bytesOut = 0;

            WsClient a = WsClient.connect(TestGateways.wsUrl(g));
            WsClient b = WsClient.connect(TestGateways.wsUrl(g));
            bytesIn += request(a, 1, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"news.a\"}", "ack");
            bytesIn += request(b, 1, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"chat.room\"}", "ack");
            bytesIn += request(b, 2, "{\"op\":\"subscribe\",\"id\":2,\"topic\":\"news.a\"}", "ack");
            Await.until(WAIT, () -> gauge(base, "pushgate_subscriptions") == 3, () -> "subscriptions");
            PrometheusText during = scrape(base);
            assertEquals(2, during.value("pushgate_connections", "transport", "websocket"));
            assertEquals(2, during.value("pushgate_topics"));
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
            Await.until(WAIT, () -> gauge(base, "pushgate_connections") == 0, () -> "connections left");
            System.gc(); // the GC pause timers appear with the first collection the node is told about
            Await.until(WAIT, () -> hasSeries(base, "jvm_gc_pause_seconds_count"), () -> "no GC pause timer");

            PrometheusText after = scrape(base);
            Delta d = new Delta(before, after);
            d.is(4, "pushgate_connections_opened_total", "transport", "websocket");
            d.is(1, "pushgate_connections_closed_total", "code", "1000");
            d.is(1, "pushgate_connections_closed_total", "code", "1003");
            d.is(2, "pushgate_connections_closed_total", "code", "abnormal");
            d.is(1, "pushgate_messages_in_total", "source", "client");
            d.is(3, "pushgate_messages_in_total", "source", "http");
            d.is(0, "pushgate_messages_in_total", "source", "redis");
            d.is(7, "pushgate_messages_out_total");
            d.is(bytesIn, "pushgate_payload_in_bytes_total");
            d.is(bytesOut, "pushgate_payload_out_bytes_total");
            d.is(1, "pushgate_publish_errors_total", "reason", "forbidden");
            d.is(0, "pushgate_publish_errors_total", "reason", "unavailable");
            d.is(1, "pushgate_client_errors_total", "code", "forbidden");
            d.is(1, "pushgate_handshake_failures_total", "reason", "not_upgrade");
            d.is(1, "pushgate_handshake_failures_total", "reason", "token");
            d.is(1, "pushgate_auth_failures_total", "reason", "invalid");
            d.is(3, "pushgate_http_requests_total", "route", "publish", "status", "200");
            d.is(1, "pushgate_http_requests_total", "route", "publish", "status", "403");
            d.is(1, "pushgate_http_requests_total", "route", "ws", "status", "426");
            d.is(1, "pushgate_http_requests_total", "route", "ws", "status", "401");
            d.is(0, "pushgate_messages_dropped_total");
            d.is(0, "pushgate_slow_consumer_closes_total");
            // One latency sample per publication per event loop with subscribers: 4 publications, 1 or 2 loops.
            double samples = d.of("pushgate_fanout_latency_seconds_count");
            assertTrue(samples >= 4 && samples <= 7, "fan-out latency samples: " + samples);
            assertTrue(d.of("pushgate_fanout_latency_seconds_sum") > 0);
            assertEquals(0, after.value("pushgate_subscriptions"));
            assertEquals(0, after.value("pushgate_topics"));
            assertEquals(1, after.value("pushgate_broker_up", "layer", "memory"));

            for (String meter : declaredMeters()) {
                if (!REDIS_ONLY.contains(meter)) {
                    assertTrue(exported(after, meter), "not in the scrape: " + meter);
                }
            }
            for (String runtime : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")) {
                assertTrue(after.sampleNames().contains(runtime), "not in the scrape: " + runtime);
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
            PrometheusText scrape = scrape(ops);
            assertTrue(exported(scrape, MeterNames.CONNECTIONS));
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

    static boolean hasSeries(String base, String name) {
        try {
            return scrape(base).sampleNames().contains(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double gauge(String base, String name) {
        try {
            return scrape(base).value(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Differences between two scrapes. */
    private record Delta(PrometheusText before, PrometheusText after) {
        double of(String name, String... labels) {
            assertTrue(after.has(name, labels), "no series " + name + " " + List.of(labels));
            return after.value(name, labels) - before.value(name, labels);
        }

        void is(double expected, String name, String... labels) {
            assertEquals(expected, of(name, labels), name + " " + List.of(labels));
        }
    }
}
