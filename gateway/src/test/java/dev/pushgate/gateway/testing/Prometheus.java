package dev.pushgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus server for tests (Debian's {@code prometheus} binary on the PATH), and {@code promtool}. The
 * server gets its own config, TSDB directory and a free port on 127.0.0.1; {@link #close()} stops it.
 *
 * <p>Without the binaries the calling test is skipped with a message, unless {@code PUSHGATE_PROMETHEUS=required}
 * (set by {@code .ci/run}, which installs the package) makes their absence a failure.
 */
public final class Prometheus implements AutoCloseable {
    /** The environment variable that makes a missing Prometheus a failure instead of a skip. */
    public static final String REQUIRED = "PUSHGATE_PROMETHEUS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String base;

    private Prometheus(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /**
     * The tool {@code name} ({@code prometheus}, {@code promtool}) on the PATH; when missing, skips the calling test
     * (or fails it with {@code PUSHGATE_PROMETHEUS=required}).
     */
    public static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = name + " not on the PATH: apt-get install -y prometheus (it brings promtool; .ci/run installs"
                + " it and sets " + REQUIRED + "=required)";
        if ("required".equals(System.getenv(REQUIRED))) {
            throw new AssertionError(message);
        }
        Assumptions.abort("Prometheus test skipped: " + message);
        throw new AssertionError("unreachable");
    }

    /**
     * Starts a server scraping {@code targets} ({@code host:port}) as job {@code pushgate} every second and
     * evaluating {@code ruleFiles} every second, with its files in {@code dir}; returns once it is ready.
     */
    public static Prometheus start(Path dir, List<String> targets, List<Path> ruleFiles) throws Exception {
        Path binary = tool("prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n" + ruleFiles.stream().map(r -> "  - " + r.toAbsolutePath().normalize() + "\n")
                .collect(Collectors.joining())
                + "scrape_configs:\n  - job_name: pushgate\n    metrics_path: /metrics\n    static_configs:\n"
                + "      - targets: [" + targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))
                + "]\n");
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Prometheus p = new Prometheus(process, log, "http://127.0.0.1:" + port);
        try {
            Await.until(START_TIMEOUT, p::ready, () -> "prometheus not ready; log: " + p.log());
        } catch (RuntimeException | AssertionError e) {
            p.close();
            throw e;
        }
        return p;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited with " + process.exitValue() + "; log: " + log());
        }
        try {
            return Http.get(base + "/-/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code GET /api/v1/<path>?<name>=<value>...}'s {@code data}; fails unless the status is success. */
    public JsonNode api(String path, String... params) throws Exception {
        List<String> query = new ArrayList<>();
        for (int i = 0; i + 1 < params.length; i += 2) {
            query.add(params[i] + "=" + URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = Http.get(base + "/api/v1/" + path + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus answered " + r.statusCode() + " to " + path + " " + query + ": " + r.body());
        }
        return body.path("data");
    }

    /** The instant vector (or scalar) {@code expr} evaluates to now: {@code data.result}. */
    public JsonNode query(String expr) throws Exception {
        return api("query", "query", expr).path("result");
    }

    /** The series matching {@code selector}. */
    public JsonNode series(String selector) throws Exception {
        return api("series", "match[]", selector);
    }

    /** The server's log so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** What a {@code promtool} run printed (stdout and stderr) and its exit status. */
    public record Run(int exitCode, String output) { }

    /** Runs {@code promtool args} with {@code stdin} (may be null) in {@code workDir}; at most a minute. */
    public static Run promtool(Path workDir, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(tool("promtool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + List.of(args) + " did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
