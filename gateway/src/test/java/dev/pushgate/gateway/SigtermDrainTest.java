package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real thing: a gateway process gets SIGTERM, closes every WebSocket with 1001 and exits within its grace. */
class SigtermDrainTest {

    @Test
    void sigtermClosesClientsWith1001AndExitsWithinTheGracePeriod(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("node.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName(), "--port", Integer.toString(port));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GATEWAY_"));
        Map.of("host", "127.0.0.1", "api-key", TestGateways.API_KEY, "io-threads", "1", "demos.enabled", "false",
                "shutdown.grace", "5s").forEach((k, v) -> env.put(ConfigKey.envVarOf(k), v));
        Process node = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<WsClient> clients = new ArrayList<>();
        try {
            String base = "http://127.0.0.1:" + port;
            Await.until(Duration.ofSeconds(30), () -> ready(base), () -> "node not ready; log: " + read(log));
            for (int i = 0; i < 3; i++) {
                WsClient c = WsClient.connect("ws://127.0.0.1:" + port + "/ws");
                c.subscribe("chat.sigterm");
                clients.add(c);
            }
            long start = System.nanoTime();
            node.destroy(); // SIGTERM on Linux: runs the shutdown hook, which drains
            for (WsClient c : clients) {
                assertEquals(1001, c.awaitClose());
            }
            assertTrue(node.waitFor(10, TimeUnit.SECONDS), "node did not exit; log: " + read(log));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 7000, "exit took " + millis + " ms with a 5 s grace period");
            assertTrue(read(log).contains("draining"), read(log));
        } finally {
            clients.forEach(WsClient::close);
            node.destroyForcibly();
        }
    }

    private static boolean ready(String base) {
        try {
            return Http.get(base + "/readyz").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
