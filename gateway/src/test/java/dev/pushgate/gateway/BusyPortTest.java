package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestCertificates;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 10: a port that is taken (main, TLS or metrics) makes {@code java -jar} say so in one line and exit
 * non-zero at once, instead of printing a stack trace and hanging on its event-loop threads; in-process, the failed
 * start releases every thread it had started.
 */
class BusyPortTest {
    private static final String HOST = "127.0.0.1";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aBusyMainPortExitsNonZeroWithOneLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = holdPort()) {
            int port = taken.getLocalPort();
            assertExitsWithOneLine(dir, Map.of("port", Integer.toString(port)), port);
        }
    }

    @Test
    void aBusyTlsPortExitsNonZeroWithOneLine(@TempDir Path dir) throws Exception {
        TestCertificates.create(dir, "busy");
        try (ServerSocket taken = holdPort()) {
            int port = taken.getLocalPort();
            assertExitsWithOneLine(dir, Map.of("port", "0", "tls.enabled", "true", "tls.port", Integer.toString(port),
                    "tls.cert-file", dir.resolve("cert.pem").toString(),
                    "tls.key-file", dir.resolve("key.pem").toString()), port);
        }
    }

    @Test
    void aBusyMetricsPortExitsNonZeroWithOneLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = holdPort()) {
            int port = taken.getLocalPort();
            assertExitsWithOneLine(dir, Map.of("port", "0", "metrics.port", Integer.toString(port)), port);
        }
    }

    @Test
    void aFailedStartInProcessReleasesItsThreads() throws Exception {
        assertAFailedStartReleasesEverything(Map.of());
    }

    @Test
    void aFailedStartOnTheRedisLayerClosesItsRedisConnections() throws Exception {
        assertAFailedStartReleasesEverything(REDIS.gatewayConfig(RedisServerExtension.uniquePrefix("busy")));
    }

    /** The main port binds, the metrics port is taken: the bound listener and everything else must go. */
    private static void assertAFailedStartReleasesEverything(Map<String, String> settings) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = holdPort()) {
            Map<String, String> all = new HashMap<>(settings);
            all.put("metrics.port", Integer.toString(taken.getLocalPort()));
            ListenException e = assertThrows(ListenException.class, () -> TestGateways.start(all));
            assertEquals("cannot listen on " + HOST + ":" + taken.getLocalPort() + ": address already in use",
                    e.getMessage());
        }
        // Event loops, timers, the tail demo, lettuce's threads (Redis connections): none of them is left.
        Await.until(Duration.ofSeconds(10), () -> started(before).isEmpty(), () -> "threads left: " + started(before));
    }

    private static List<String> started(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("pushgate") || t.getName().startsWith("lettuce"))
                .map(Thread::getName).toList();
    }

    private static ServerSocket holdPort() throws Exception {
        return new ServerSocket(0, 50, InetAddress.getByName(HOST));
    }

    private static void assertExitsWithOneLine(Path dir, Map<String, String> settings, int busy) throws Exception {
        Path log = dir.resolve("node.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=disabled", "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GATEWAY_"));
        Map<String, String> all = new HashMap<>(Map.of("host", HOST, "api-key", TestGateways.API_KEY,
                "io-threads", "1", "demos.enabled", "false"));
        all.putAll(settings);
        all.forEach((k, v) -> env.put(ConfigKey.envVarOf(k), v));
        Process node = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(node.waitFor(20, TimeUnit.SECONDS), "the node did not exit; output: " + Files.readString(log));
            String out = Files.readString(log);
            assertEquals(1, node.exitValue(), out);
            // The production logging configuration (not the tests'): the answer is exactly one plain line.
            assertEquals("cannot listen on " + HOST + ":" + busy + ": address already in use", out.strip(), out);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), "no stack trace: " + out);
        } finally {
            node.destroyForcibly();
        }
    }
}
