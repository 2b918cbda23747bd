package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 4: many connections that never read, each allowed 1 MiB of its own, and big messages: what the node
 * holds for them all stays within {@code outbound.node-budget} (not connections x 1 MiB), pooled direct memory
 * stays bounded, a connection that reads still gets every message, and the stuck ones are told what they missed.
 */
class NodeBudgetTest {
    private static final Logger log = LoggerFactory.getLogger(NodeBudgetTest.class);
    private static final long BUDGET = 8L << 20;
    private static final int STUCK = 24;
    private static final int MESSAGES = 150;
    private static final int SIZE = 32 * 1024;

    @Test
    void connectionsThatNeverReadShareTheNodeBudgetAndAReaderStillGetsEverything() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("outbound.node-budget", "8MiB", "outbound.max-buffer", "1MiB",
                "outbound.socket-send-buffer", "16KiB", "outbound.slow-grace", "60s",
                "namespaces.feeds.slow-consumer", "skip", "demos.enabled", "false", "stats.interval", "1h"))) {
            String base = TestGateways.httpUrl(g);
            double directBefore = metric(base, "pushgate_netty_allocator_used_bytes{memory=\"direct\"}");
            List<RawWebSocket> stuck = new ArrayList<>();
            try (WsClient reader = WsClient.connect(TestGateways.wsUrl(g))) {
                reader.subscribe("feeds.big");
                for (int i = 0; i < STUCK; i++) {
                    RawWebSocket s = new RawWebSocket(g.port(), "/ws", 4096);
                    stuck.add(s);
                    s.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"feeds.big\"}".getBytes());
                }
                Await.until(Duration.ofSeconds(10), () -> g.hub().subscriptionCount() == STUCK + 1,
                        () -> "subscriptions: " + g.hub().subscriptionCount());

                String pad = "y".repeat(SIZE);
                double maxUsed = 0;
                double maxDirect = 0;
                for (int i = 0; i < MESSAGES; i++) {
                    assertEquals(200, Http.publish(base, "{\"topic\":\"feeds.big\",\"data\":{\"i\":" + i
                            + ",\"p\":\"" + pad + "\"}}").statusCode());
                    JsonNode m = reader.nextMessage();
                    assertEquals(i, m.path("data").path("i").asInt(), "the reader gets every message, in order");
                    if (i % 10 == 9) {
                        maxUsed = Math.max(maxUsed, metric(base, "pushgate_outbound_budget_used_bytes"));
                        maxDirect = Math.max(maxDirect,
                                metric(base, "pushgate_netty_allocator_used_bytes{memory=\"direct\"}"));
                    }
                }
                double used = metric(base, "pushgate_outbound_budget_used_bytes");
                maxUsed = Math.max(maxUsed, used);
                // Slack: one message per connection that had no backlog yet when the node filled up.
                long slack = (long) STUCK * (SIZE + 1024);
                log.info("node budget: used max={} bytes (budget {}), pooled direct before={} max={}",
                        (long) maxUsed, BUDGET, (long) directBefore, (long) maxDirect);
                assertTrue(used > 0, "the stuck connections' backlog is counted: " + used);
                assertTrue(maxUsed <= BUDGET + slack, "in use " + maxUsed + " > budget " + BUDGET + " + " + slack);
                assertTrue(maxDirect - directBefore <= BUDGET + (32L << 20), "direct memory grew by "
                        + (maxDirect - directBefore));
                assertTrue(metric(base, "pushgate_messages_dropped_total{reason=\"node_budget\"}") > 0,
                        "refused deliveries are counted");

                // The stuck ones now read: what the node held for them is what they get, then the skipped notice.
                long held = 0;
                for (RawWebSocket s : stuck) {
                    int skipped = -1;
                    while (skipped < 0) {
                        RawWebSocket.Frame f = s.readFrame(Duration.ofSeconds(10));
                        assertNotNull(f, "connection ended");
                        assertTrue(f.opcode() == 1, "no close under skip policy, got opcode " + f.opcode());
                        String text = new String(f.payload(), StandardCharsets.UTF_8);
                        if (text.startsWith("{\"op\":\"message\"")) {
                            held += f.payload().length;
                        } else if (text.startsWith("{\"op\":\"skipped\"")) {
                            skipped = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text)
                                    .path("topics").path("feeds.big").asInt();
                        }
                    }
                    assertTrue(skipped > 0, "told what it missed");
                }
                // Kernel buffers took some too (send buffer + the peer's small receive buffer, per connection).
                long kernel = (long) STUCK * (64 * 1024 + SIZE);
                log.info("node budget: the {} stuck connections were held {} bytes in all", STUCK, held);
                assertTrue(held <= BUDGET + slack + kernel, "held for stuck connections: " + held + " bytes");
            } finally {
                for (RawWebSocket s : stuck) {
                    s.close();
                }
            }
        }
    }

    @Test
    void underTheClosePolicyConnectionsStillBehindAfterTheGraceAreClosedWith4001() throws Exception {
        try (Gateway g = TestGateways.start(Map.of("outbound.node-budget", "8MiB", "outbound.max-buffer", "1MiB",
                "outbound.socket-send-buffer", "16KiB", "outbound.slow-grace", "1s", "demos.enabled", "false",
                "stats.interval", "1h"))) {
            String base = TestGateways.httpUrl(g);
            List<RawWebSocket> stuck = new ArrayList<>();
            try (WsClient reader = WsClient.connect(TestGateways.wsUrl(g))) {
                reader.subscribe("news.big");
                for (int i = 0; i < STUCK; i++) {
                    RawWebSocket s = new RawWebSocket(g.port(), "/ws", 4096);
                    stuck.add(s);
                    s.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"news.big\"}".getBytes());
                }
                Await.until(Duration.ofSeconds(10), () -> g.hub().subscriptionCount() == STUCK + 1,
                        () -> "subscriptions: " + g.hub().subscriptionCount());
                String pad = "y".repeat(SIZE);
                // 24 x 32 KiB: less than each connection's own 1 MiB, so only the node budget can refuse them.
                for (int i = 0; i < 24; i++) {
                    assertEquals(200, Http.publish(base, "{\"topic\":\"news.big\",\"data\":{\"i\":" + i
                            + ",\"p\":\"" + pad + "\"}}").statusCode());
                    assertEquals(i, reader.nextMessage().path("data").path("i").asInt());
                }
                // Each stuck connection holds less than its own 1 MiB (it stays writable), but the node is short:
                // after the grace it is closed like a slow consumer (decided before anyone reads: a connection that
                // catches up in time is not closed), and its backlog is given back.
                Await.until(Duration.ofSeconds(15), () -> quietly(base, "pushgate_slow_consumer_closes_total") >= STUCK,
                        () -> "slow consumer closes: " + quietly(base, "pushgate_slow_consumer_closes_total"));
                for (RawWebSocket s : stuck) {
                    RawWebSocket.Frame close = s.awaitClose(Duration.ofSeconds(15));
                    assertNotNull(close, "a Close frame before the end of the stream");
                    assertEquals(4001, close.closeCode());
                }
                Await.until(Duration.ofSeconds(10), () -> g.sessionCount() == 1, () -> "sessions: " + g.sessionCount());
                Await.until(Duration.ofSeconds(10), () -> quietly(base, "pushgate_outbound_budget_used_bytes") == 0,
                        () -> "budget in use after the closes");
                // And the reader goes on.
                assertEquals(200, Http.publish(base, "{\"topic\":\"news.big\",\"data\":{\"i\":24}}").statusCode());
                assertEquals(24, reader.nextMessage().path("data").path("i").asInt());
            } finally {
                for (RawWebSocket s : stuck) {
                    s.close();
                }
            }
        }
    }

    private static double quietly(String base, String series) {
        try {
            return metric(base, series);
        } catch (Exception e) {
            return -1;
        }
    }

    private static double metric(String base, String series) throws Exception {
        for (String line : Http.get(base + "/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }
}
