package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigLoader;
import dev.pushgate.gateway.testing.DocExamples;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.RedisWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the examples README.md and PROTOCOL.md mark with {@code <!-- example -->} (see {@link DocExamples}) as written,
 * with bash from the repository root, against fresh nodes started here (and a fresh Redis), and compares what each
 * command prints with what the docs show. Only the ports differ: the documented ones ({@code 8080}, {@code 6379},
 * ...) are rewritten to the ones the test bound. {@code redis-cli} is a small RESP stand-in when the machine has none.
 */
class DocExamplesTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final List<Gateway> nodes = new ArrayList<>();
    private final List<WsClient> pages = new ArrayList<>();
    /** Documented port → bound port. */
    private final Map<String, String> ports = new LinkedHashMap<>();
    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void stop() {
        reset();
    }

    @Test
    void theShippedPublishScriptIsTheOneTheGatewayRuns() throws IOException {
        String file = Files.readString(ROOT.resolve("deploy/redis/publish.lua"));
        String script = file.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n", "", "\n"));
        assertEquals(RedisWire.PUBLISH_SCRIPT, script);
    }

    @Test
    void readmeExamplesReproduce() throws Exception {
        run(ROOT.resolve("README.md"));
    }

    @Test
    void protocolExamplesReproduce() throws Exception {
        run(ROOT.resolve("protocol/PROTOCOL.md"));
    }

    private void run(Path doc) throws Exception {
        List<DocExamples.Example> examples = DocExamples.of(doc);
        assertFalse(examples.isEmpty(), "no marked examples in " + doc);
        Path bin = shims();
        List<String> failures = new ArrayList<>();
        for (DocExamples.Example ex : examples) {
            if (!ex.continued()) {
                reset();
                REDIS.redis().flushall();
                REDIS.redis().scriptFlush();
            }
            if (ex.startsRedis()) {
                ports.put("6379", Integer.toString(REDIS.port()));
            }
            for (String export : ex.exports()) {
                assign(export, env);
            }
            for (String prefix : ex.nodes()) {
                startNode(prefix);
            }
            if (ex.subscribe() != null) {
                for (Gateway g : nodes) {
                    WsClient page = WsClient.connect("ws://127.0.0.1:" + g.port() + "/ws");
                    pages.add(page);
                    page.subscribe(ex.subscribe());
                }
            }
            for (DocExamples.Command c : ex.commands()) {
                String out = bash(rewrite(c.text()), bin);
                if (c.output() != null && !DocExamples.matches(c.output(), out)) {
                    failures.add(ex.source() + ": " + c.text() + "\n  shown:  " + c.output() + "\n  actual: " + out);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail("examples whose output differs from the docs:\n" + String.join("\n", failures));
        }
    }

    private void startNode(String prefix) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        for (String assignment : prefix.split("\\s+")) {
            if (!assignment.isEmpty()) {
                assign(assignment, nodeEnv);
            }
        }
        String documented = nodeEnv.getOrDefault("GATEWAY_PORT", "8080");
        nodeEnv.put("GATEWAY_PORT", "0");
        nodeEnv.put("GATEWAY_HOST", "127.0.0.1");
        nodeEnv.put("GATEWAY_IO_THREADS", "2");
        nodeEnv.put("GATEWAY_SHUTDOWN_GRACE", "1s");
        nodeEnv.computeIfPresent("GATEWAY_REDIS_URI", (k, v) -> rewrite(v));
        Gateway g = Gateway.start(ConfigLoader.load(null, nodeEnv, Map.of()));
        nodes.add(g);
        ports.put(documented, Integer.toString(g.port()));
    }

    private static void assign(String assignments, Map<String, String> into) {
        for (String a : assignments.split("\\s+")) {
            int eq = a.indexOf('=');
            into.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    /** The command with every documented port replaced by the bound one. */
    private String rewrite(String text) {
        String out = text;
        for (Map.Entry<String, String> p : ports.entrySet()) {
            out = out.replaceAll("(?<=(localhost|127\\.0\\.0\\.1):)" + p.getKey() + "\\b", p.getValue());
        }
        return out;
    }

    private String bash(String command, Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("REDIS_TEST_PORT", Integer.toString(REDIS.port()));
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "command did not end: " + command);
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    /** A directory with the {@code redis-cli} stand-in. */
    private static Path shims() throws IOException {
        Path bin = Files.createTempDirectory("pushgate-doc-bin");
        Path cli = bin.resolve("redis-cli");
        try (InputStream in = DocExamplesTest.class.getResourceAsStream("/docs/redis-cli")) {
            Files.write(cli, in.readAllBytes());
        }
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        cli.toFile().deleteOnExit();
        bin.toFile().deleteOnExit();
        return bin;
    }

    private void reset() {
        pages.forEach(WsClient::close);
        pages.clear();
        nodes.forEach(Gateway::close);
        nodes.clear();
        ports.clear();
        env.clear();
    }
}
