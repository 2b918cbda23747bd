package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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

/**
 * The command line as a user runs it, in its own JVM with the gateway's own {@code logback.xml}: {@code --version},
 * {@code --port=N} beside {@code --port N}, and the exit status 2 for bad arguments and unknown variables.
 */
class GatewayMainCliTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A gateway JVM with {@code args} and the gateway variables {@code env} (the test's own GATEWAY_* removed). */
    private static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith(ConfigKey.ENV_PREFIX));
        pb.environment().putAll(env);
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int exitOf(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running; output: " + Files.readString(log));
        return p.exitValue();
    }

    @Test
    void versionPrintsTheBuildVersionAndExitsZero(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Process p = start(out, Map.of(), "--version");
        assertEquals(0, exitOf(p, out), Files.readString(out));
        String printed = Files.readString(out).strip();
        assertTrue(printed.matches("pushgate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), printed);
        assertEquals("pushgate " + GatewayMain.version(), printed);
    }

    @Test
    void portTakesItsValueAfterAnEqualsSignToo(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("out");
        Process p = start(out, Map.of("GATEWAY_HOST", "127.0.0.1", "GATEWAY_API_KEY", TestGateways.API_KEY,
                "GATEWAY_IO_THREADS", "1", "GATEWAY_DEMOS_ENABLED", "false"), "--port=" + port);
        try {
            Await.until(WAIT, () -> healthy("http://127.0.0.1:" + port), () -> "not listening on " + port + ": " + read(out));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void badArgumentsAndUnknownVariablesExitWithStatusTwoNamingThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertEquals(2, exitOf(start(out, Map.of(), "--port=eighty"), out));
        assertTrue(read(out).contains("port (from override): not an integer: 'eighty'"), read(out));

        assertEquals(2, exitOf(start(out, Map.of(), "--verbose=1"), out));
        assertTrue(read(out).contains("unknown argument: --verbose=1"), read(out));

        assertEquals(2, exitOf(start(out, Map.of("GATEWAY_PROT", "80"), "--port", "0"), out));
        assertTrue(read(out).contains("unknown environment variable GATEWAY_PROT"), read(out));

        assertEquals(2, exitOf(start(out, Map.of("GATEWAY_WS_MAX_FRAME_SIZE", "64KB")), out));
        assertTrue(read(out).contains("ws.max-frame-size (from environment GATEWAY_WS_MAX_FRAME_SIZE): not a size"),
                read(out));
    }

    private static boolean healthy(String base) {
        try {
            return Http.get(base + "/healthz").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
