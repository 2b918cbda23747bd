package dev.pushgate.gateway.stats;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node stats table (expiry, bounds, hostile input) and the reporter's rates, on a hand-driven clock. */
class OpsClusterStatsTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private static NodeStats stats(String node, long intervalMillis) {
        return new NodeStats(node, "redis", true, 5, 3, 2, 4, 1.5, 3.25, 100, 200, intervalMillis, 1_700_000_000_000L);
    }

    @Test
    void aNodeIsForgottenAfterThreeOfItsIntervals() {
        ClusterStats cluster = new ClusterStats(nanos::get);
        cluster.put(stats("b", 1000));
        cluster.put(stats("a", 100));
        assertEquals(2, cluster.current().size());
        assertEquals("a", cluster.current().get(0).node(), "ordered by node id");
        nanos.addAndGet(300_000_000L);
        assertEquals(2, cluster.current().size(), "exactly three intervals: still there");
        nanos.addAndGet(1);
        assertEquals(1, cluster.current().size());
        cluster.put(stats("a", 1000)); // a's news carries its (new) interval
        nanos.addAndGet(2_700_000_000L);
        assertEquals(1, cluster.current().size());
        assertEquals("a", cluster.current().get(0).node(), "b expired, a refreshed");
    }

    @Test
    void theWireFormatRoundTripsAndHostileMessagesAreDropped() {
        NodeStats s = stats("gw-\"1\"\n<b>", 2000);
        assertEquals(s, NodeStats.fromJson(s.toJson()));
        ClusterStats cluster = new ClusterStats(nanos::get);
        for (String junk : new String[] {"", "[]", "null", "{\"node\":\"x\"}", "not json",
                "{\"node\":\"\",\"layer\":\"m\",\"uptime_seconds\":1,\"connections\":1,\"topics\":1,\"subscriptions\":1,"
                        + "\"messages_in_per_second\":1,\"messages_out_per_second\":1,\"bytes_in_per_second\":1,"
                        + "\"bytes_out_per_second\":1,\"interval_ms\":1,\"at\":1}",
                new String(stats("neg", 1).toJson(), StandardCharsets.UTF_8).replace("\"connections\":3", "\"connections\":-3"),
                new String(stats("str", 1).toJson(), StandardCharsets.UTF_8).replace("\"topics\":2", "\"topics\":\"2\"")}) {
            cluster.accept(junk.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, cluster.current().size());
        assertThrows(IllegalArgumentException.class, () -> NodeStats.fromJson("{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void atMostAThousandNodesAreKept() {
        ClusterStats cluster = new ClusterStats(nanos::get);
        for (int i = 0; i < ClusterStats.MAX_NODES + 50; i++) {
            cluster.put(stats("n" + i, 60_000));
        }
        assertEquals(ClusterStats.MAX_NODES, cluster.current().size());
        cluster.put(stats("n0", 60_000));
        assertEquals(ClusterStats.MAX_NODES, cluster.current().size(), "a known node still updates");
    }

    @Test
    void ratesAreAveragedOverTheLastFewSeconds() {
        double[] in = {0};
        StatsReporter reporter = new StatsReporter("me", "memory", 1000,
                () -> new StatsReporter.Sample(7, 2, 9, in[0], 2 * in[0], 10 * in[0], 20 * in[0]),
                () -> true, new ClusterStats(nanos::get), null, nanos::get);
        for (int second = 1; second <= 10; second++) {
            nanos.addAndGet(1_000_000_000L);
            in[0] += second <= 5 ? 10 : 100; // 10/s for five seconds, then 100/s
            NodeStats s = reporter.tick();
            assertEquals(7, s.connections());
            assertEquals(second, s.uptimeSeconds());
            if (second <= 5) {
                assertEquals(10, s.messagesIn(), 1e-9, "second " + second);
            }
        }
        NodeStats last = reporter.tick();
        assertEquals(100, last.messagesIn(), 1e-9, "the window holds only the last five seconds");
        assertEquals(200, last.messagesOut(), 1e-9);
        assertEquals(1000, last.bytesIn(), 1e-9);
        assertTrue(last.bytesOut() > 0);
    }
}
