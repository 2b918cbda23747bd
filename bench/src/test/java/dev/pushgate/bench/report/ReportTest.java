package dev.pushgate.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static final RunSetup SETUP = new RunSetup("fanout", "pushgate", "ws", List.of("ws://127.0.0.1:8080/ws"),
            100, 1, 1, 100, 1, "epoll", "ws");
    private static final Latency LATENCY = new Latency(990, 500, 900, 2_000, 5_000, 9_000, 700.5);

    static WindowResult window(long expected, long unique) {
        return new WindowResult(1000, 10, 10_000, 10_000, 0, expected,
                new DeliveryStats.Totals(unique + 3, unique, 3, 2, 0, 0), LATENCY,
                List.of(new ProcessSample(42, true, 50, 40, 80, 100 << 20, 120 << 20)),
                new ProcessSample(7, true, 30, 25, 35, 50 << 20, 50 << 20));
    }

    @Test
    void lossIsExpectedMinusUniqueAndNeverNegative() {
        WindowResult w = window(1_000_000, 999_000);
        assertEquals(1000, w.lost());
        assertEquals(0.1, w.lossPct(), 1e-9);
        assertEquals(99_900, w.deliveredPerSecond(), 1e-9);
        assertEquals(1000, w.sentPerSecond(), 1e-9);
        assertEquals(0, window(10, 20).lost());
        assertEquals(0, window(0, 0).lossPct());
    }

    @Test
    void theResultLineIsOneLineOfJsonWithTheKeyNumbers() throws Exception {
        FanoutResult r = new FanoutResult(SETUP, new ConnectResult(100, 99, Map.of("ConnectException", 1L), 0.5,
                LATENCY), window(1_000_000, 999_000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        console.result(new ResultJson().fanout(r));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("RESULT {"));
        assertEquals(1, out.lines().count());
        JsonNode json = new ObjectMapper().readTree(out.substring(Console.RESULT_PREFIX.length()));
        assertEquals("fanout", json.get("scenario").asText());
        assertEquals(1000, json.get("lost").asLong());
        assertEquals(0.1, json.get("loss_pct").asDouble(), 1e-9);
        assertEquals(3, json.get("duplicates").asLong());
        assertEquals(2, json.get("out_of_order").asLong());
        assertEquals(2000, json.at("/latency_us/p99").asLong());
        assertEquals(1, json.at("/subscribe/failures/ConnectException").asLong());
        assertEquals(42, json.at("/gateways/0/pid").asLong());
        assertEquals(25, json.get("bench_cpu_avg_pct").asDouble(), 1e-9);
        assertTrue(json.get("ok").asBoolean());
    }

    @Test
    void theSummaryNamesLossLatencyAndTheGateway() {
        FanoutResult r = new FanoutResult(SETUP, new ConnectResult(100, 100, Map.of(), 0.5, LATENCY),
                window(1_000_000, 999_000));
        String text = ReportText.fanout(r);
        assertTrue(text.contains("lost 1000 (0.100%)"), text);
        assertTrue(text.contains("p99 2.00ms"), text);
        assertTrue(text.contains("server pid 42: cpu avg 40% max 80%, rss max 120.0MiB"), text);
    }

    @Test
    void memoryPerConnectionIsUnknownWithoutBothReadings() {
        ConnectionsResult.Memory m = new ConnectionsResult.Memory(1, 100 << 20, 200 << 20, -1, 50, 1000);
        assertEquals((100 << 20) / 1000.0, m.rssPerConnection(), 1e-9);
        assertTrue(Double.isNaN(m.heapPerConnection()));
        assertEquals("?", ReportText.bytes(m.heapPerConnection()));
        assertEquals("?", ReportText.bytes(-1L));
        assertEquals("-1.0KiB", ReportText.bytes(-1024.0));
    }

    @Test
    void unitsAreReadable() {
        assertEquals("950", ReportText.count(950));
        assertEquals("12.3k", ReportText.count(12_345));
        assertEquals("4.56M", ReportText.count(4_560_000));
        assertEquals("850us", ReportText.micros(850));
        assertEquals("12.35ms", ReportText.micros(12_345));
        assertEquals("1.20s", ReportText.micros(1_200_000));
        assertEquals("512B", ReportText.bytes(512L));
        assertEquals("210.0MiB", ReportText.bytes(210L << 20));
    }
}
