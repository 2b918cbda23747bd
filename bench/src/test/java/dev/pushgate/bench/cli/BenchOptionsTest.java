package dev.pushgate.bench.cli;

import dev.pushgate.bench.dialect.Target;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {
    @Test
    void fanoutDefaults() {
        BenchOptions o = BenchOptions.parse(new String[] {"fanout"});
        assertEquals(Scenario.FANOUT, o.scenario());
        assertEquals(Target.PUSHGATE, o.connect().target());
        assertEquals(List.of(URI.create("ws://127.0.0.1:8080/ws")), o.connect().urls());
        assertEquals(100, o.load().subscribers());
        assertEquals(List.of("chat.bench"), o.load().topics());
        assertEquals(PublishMode.WS, o.load().publish());
        assertEquals(SubscribeTransport.WS, o.load().transport());
        assertEquals(1000, o.load().rate());
        assertEquals(10, o.load().durationSeconds());
        assertEquals(100, o.load().payloadBytes());
        assertEquals("pushgate:topic:", o.load().redisPrefix());
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/api/publish")), o.load().publishUrls());
        assertTrue(o.connect().threads() >= 1 && o.connect().threads() <= 2);
        assertNull(o.ramp());
        assertNull(o.connections());
    }

    @Test
    void repeatableAndCommaSeparatedValues() {
        BenchOptions o = BenchOptions.parse(new String[] {"fanout", "--url", "ws://127.0.0.1:8080/ws",
            "--url=ws://127.0.0.1:8081/ws", "--pid", "10", "--pid", "11,12", "--source-ips", "127.0.0.1,127.0.0.2",
            "--topics", "3", "--topic", "chat.x", "--publish", "http", "--api-key", "k"});
        assertEquals(2, o.connect().urls().size());
        assertEquals(List.of(10L, 11L, 12L), o.connect().pids());
        assertEquals(2, o.connect().sourceIps().size());
        assertEquals(List.of("chat.x.0", "chat.x.1", "chat.x.2"), o.load().topics());
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/api/publish"),
                URI.create("http://127.0.0.1:8081/api/publish")), o.load().publishUrls());
        assertEquals("k", o.load().apiKey());
    }

    @Test
    void socketIoTargetUsesThePeerDefaults() {
        BenchOptions o = BenchOptions.parse(new String[] {"ramp", "--target", "socketio", "--publish", "http"});
        assertEquals(Target.SOCKETIO, o.connect().target());
        assertEquals("/socket.io/", o.connect().urls().get(0).getPath());
        assertEquals(List.of(URI.create("http://127.0.0.1:3000/publish")), o.load().publishUrls());
        assertEquals(1000, o.ramp().startRate());
        assertEquals(1000, o.ramp().step());
    }

    @Test
    void uwsTargetSpeaksPushgateAndTakesRedisPublishing() {
        BenchOptions o = BenchOptions.parse(new String[] {"fanout", "--target", "uws", "--publish", "redis"});
        assertEquals(Target.UWS, o.connect().target());
        assertEquals(List.of(URI.create("ws://127.0.0.1:3100/ws")), o.connect().urls());
        assertEquals(List.of(URI.create("http://127.0.0.1:3100/api/publish")), o.load().publishUrls());
    }

    @Test
    void rampFactorMultipliesInsteadOfAdding() {
        BenchOptions additive = BenchOptions.parse(new String[] {"ramp", "--start-rate", "100", "--step", "50"});
        assertEquals(150, additive.ramp().next(100));
        BenchOptions factor = BenchOptions.parse(new String[] {"ramp", "--start-rate", "100", "--factor", "1.5"});
        assertEquals(150, factor.ramp().next(100));
        assertEquals(225, factor.ramp().next(150));
    }

    @Test
    void connectionsScenario() {
        BenchOptions o = BenchOptions.parse(new String[] {"connections", "--connections", "50_000", "--subscribe",
            "--no-jcmd", "--hold", "1"});
        assertEquals(50_000, o.connections().connections());
        assertTrue(o.connections().subscribe());
        assertFalse(o.connections().jcmd());
        assertNull(o.load());
    }

    @Test
    void badCommandLinesSayWhy() {
        assertMessage("unknown option --bogus", "fanout", "--bogus", "1");
        assertMessage("unknown option --rate", "connections", "--rate", "5");
        assertMessage("unknown scenario: nope (fanout, ramp, connections or overload)", "nope");
        assertMessage("--subscribers must be at least 1: 0", "fanout", "--subscribers", "0");
        assertMessage("--rate is not a number: fast", "fanout", "--rate", "fast");
        assertMessage("--rate needs a value", "fanout", "--rate");
        assertMessage("--url must be ws://host:port/path: http://x/ws", "fanout", "--url", "http://x/ws");
        assertThrows(UsageException.class,
                () -> BenchOptions.parse(new String[] {"fanout", "--target", "socketio", "--publish", "redis"}));
        assertThrows(UsageException.class, () -> BenchOptions.parse(new String[] {"fanout", "ramp"}));
    }

    @Test
    void helpIsRecognised() {
        assertTrue(BenchOptions.wantsHelp(new String[] {}));
        assertTrue(BenchOptions.wantsHelp(new String[] {"fanout", "--help"}));
        assertTrue(BenchOptions.wantsHelp(new String[] {"-h"}));
        assertFalse(BenchOptions.wantsHelp(new String[] {"fanout"}));
        assertTrue(Usage.TEXT.contains("--redis-prefix"));
    }

    private static void assertMessage(String expected, String... argv) {
        assertEquals(expected, assertThrows(UsageException.class, () -> BenchOptions.parse(argv)).getMessage());
    }

    @Test
    void overloadPhasesAndSlowReaders() {
        BenchOptions o = BenchOptions.parse(new String[] {"overload", "--base-rate", "400", "--overload-factor", "2",
            "--overload-seconds", "30", "--recover-seconds", "15", "--slow-fraction", "0.05", "--payload", "64",
            "--metrics-url", "http://127.0.0.1:9090/metrics"});
        assertEquals(Scenario.OVERLOAD, o.scenario());
        assertEquals(400, o.overload().baseRate());
        assertEquals(2, o.overload().factor());
        assertEquals(30, o.overload().overloadSeconds());
        assertEquals(15, o.overload().recoverSeconds());
        assertEquals(0.05, o.overload().slowFraction());
        assertEquals((long) (0.5 * 400 * (64 + OverloadOptions.FRAME_OVERHEAD)),
                o.overload().slowReadBytesPerSecond(64, 1));
        assertEquals(List.of(URI.create("http://127.0.0.1:9090/metrics")), o.overload().metricsUrls());
        assertThrows(UsageException.class, () -> BenchOptions.parse(new String[] {"overload", "--rate", "5"}));
    }

    @Test
    void subscribersCanUseSseOrLongPollingOnPushgateOnly() {
        assertEquals(SubscribeTransport.SSE, BenchOptions.parse(new String[] {"fanout", "--transport", "sse"})
                .load().transport());
        assertEquals(SubscribeTransport.POLL, BenchOptions.parse(new String[] {"ramp", "--transport=POLL"})
                .load().transport());
        assertThrows(UsageException.class, () -> BenchOptions.parse(new String[] {"fanout", "--transport", "lp"}));
        assertThrows(UsageException.class, () -> BenchOptions.parse(new String[] {"fanout", "--target", "uws",
            "--transport", "sse"}));
        assertThrows(UsageException.class, () -> BenchOptions.parse(new String[] {"connections", "--transport",
            "sse"}), "connections opens WebSocket connections only");
    }
}
