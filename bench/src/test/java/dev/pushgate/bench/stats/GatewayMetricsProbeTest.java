package dev.pushgate.bench.stats;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GatewayMetricsProbeTest {
    @Test
    void readsTheOverloadMetricsFromPrometheusText() {
        String text = """
                # HELP pushgate_outbound_budget_used_bytes x
                # TYPE pushgate_outbound_budget_used_bytes gauge
                pushgate_outbound_budget_used_bytes 1024.0
                pushgate_outbound_budget_limit_bytes 1.34217728E8
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 500.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999.0
                jvm_buffer_memory_used_bytes{id="direct"} 2048.0
                jvm_buffer_memory_used_bytes{id="mapped"} 7.0
                pushgate_messages_dropped_total{reason="node_budget"} 3.0
                pushgate_messages_dropped_total{reason="queue_full"} 4.0
                pushgate_slow_consumer_closes_total 2.0
                jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.25
                jvm_gc_pause_seconds_max{action="end of major GC",cause="x",gc="G1 Old Generation"} 0.5
                jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 1.5
                jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 6.0
                """;
        GatewayMetricsProbe.Sample s = GatewayMetricsProbe.parse(URI.create("http://h:1/metrics"), text);
        assertEquals(1024, s.budgetUsed());
        assertEquals(134_217_728, s.budgetLimit());
        assertEquals(1500, s.heapUsed());
        assertEquals(2048, s.directUsed());
        assertEquals(Map.of("node_budget", 3L, "queue_full", 4L), s.dropped());
        assertEquals(2, s.slowCloses());
        assertEquals(0.5, s.gcPauseMaxSeconds());
        assertEquals(1.5, s.gcPauseSeconds());
        assertEquals(6, s.gcPauses());
    }
}
