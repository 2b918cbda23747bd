package dev.pushgate.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium for tests: starts Debian's {@code /usr/bin/chromium} with a fresh profile, connects to its
 * DevTools WebSocket and opens pages ({@link #open(String)}). {@link #close()} ends the browser's whole process
 * tree and deletes the profile. Not thread-safe: use one instance from one test thread.
 *
 * <pre>{@code
 * try (Chromium chrome = Chromium.launch(); Page a = chrome.open(url); Page b = chrome.open(url)) {
 *     a.evaluate("...");
 *     b.waitFor("document.querySelectorAll('.msg').length === 1", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * The binary is {@code /usr/bin/chromium} unless the system property {@code pushgate.chromium} or the environment
 * variable {@code PUSHGATE_CHROMIUM} names another one. A missing binary is an error, not a skipped test.
 */
public final class Chromium implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chromium.class);

    /** Where Debian's {@code chromium} package installs its launcher. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final CdpConnection cdp;
    private final List<Page> pages = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private Chromium(Process process, Path profile, CdpConnection cdp, Thread shutdownHook) {
        this.process = process;
        this.profile = profile;
        this.cdp = cdp;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts the configured Chromium binary; see the class comment. When none is installed, the calling test is
     * skipped with a message saying how to install it, unless {@code PUSHGATE_BROWSER=required} (set by
     * {@code .ci/run}) makes the absence a failure: a machine with only a JDK still passes the README's test
     * command, and CI never silently skips the browser tests.
     */
    public static Chromium launch() {
        String configured = System.getProperty("pushgate.chromium", System.getenv("PUSHGATE_CHROMIUM"));
        Path binary = configured == null || configured.isBlank() ? DEFAULT_BINARY : Path.of(configured);
        if (!Files.isExecutable(binary) && !"required".equals(System.getenv("PUSHGATE_BROWSER"))) {
            org.junit.jupiter.api.Assumptions.abort("browser test skipped: no chromium at " + binary
                    + " (apt-get install -y chromium; .ci/run installs it and sets PUSHGATE_BROWSER=required)");
        }
        return launch(binary);
    }

    /**
     * Starts {@code binary} headless with a fresh profile and connects to it.
     *
     * @throws IllegalStateException when the binary is missing or the browser does not come up
     */
    public static Chromium launch(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("chromium not found at " + binary
                    + ": install it with 'apt-get install -y chromium' (the CI script does), or point"
                    + " -Dpushgate.chromium / PUSHGATE_CHROMIUM at a Chromium binary");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("pushgate-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a chromium profile directory", e);
        }
        List<String> command = List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check", "--mute-audio",
                // several pages run side by side: none may have its timers (keep-alive, reconnect) throttled
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new IllegalStateException("cannot start " + binary, e);
        }
        Thread hook = new Thread(() -> killTree(process), "chromium-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            URI devtools = readDevToolsUrl(process);
            log.debug("chromium started: pid={} devtools={}", process.pid(), devtools);
            CdpConnection cdp = CdpConnection.connect(devtools, MAPPER, START_TIMEOUT);
            return new Chromium(process, profile, cdp, hook);
        } catch (RuntimeException e) {
            killTree(process);
            deleteTree(profile);
            removeHook(hook);
            throw e;
        }
    }

    /** Reads stderr until the DevTools URL appears, then keeps draining it (at DEBUG) so Chromium never blocks. */
    private static URI readDevToolsUrl(Process process) {
        CompletableFuture<URI> url = new CompletableFuture<>();
        StringBuilder early = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher m = DEVTOOLS_URL.matcher(line);
                    if (!url.isDone() && m.find()) {
                        url.complete(URI.create(m.group(1)));
                    } else if (!url.isDone()) {
                        synchronized (early) {
                            early.append(line).append('\n');
                        }
                    }
                    log.trace("chromium stderr: {}", line);
                }
            } catch (IOException e) {
                log.debug("chromium stderr closed: {}", e.toString());
            }
            url.completeExceptionally(new IllegalStateException("chromium exited before announcing DevTools"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return url.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting chromium", e);
        } catch (ExecutionException | TimeoutException e) {
            String output;
            synchronized (early) {
                output = early.toString();
            }
            throw new IllegalStateException("chromium did not announce its DevTools URL within " + START_TIMEOUT
                    + " (alive=" + process.isAlive() + "); its stderr:\n" + output, e);
        }
    }

    /**
     * Opens a new tab, waits until {@code url} has loaded (the {@code load} event) and returns it. The page is
     * closed by {@link Page#close()} or with the browser.
     */
    public Page open(String url) {
        ensureOpen();
        ObjectNode create = MAPPER.createObjectNode().put("url", "about:blank");
        String targetId = cdp.send(null, "Target.createTarget", create, COMMAND_TIMEOUT).path("targetId").asText();
        ObjectNode attach = MAPPER.createObjectNode().put("targetId", targetId).put("flatten", true);
        String sessionId = cdp.send(null, "Target.attachToTarget", attach, COMMAND_TIMEOUT)
                .path("sessionId").asText();
        Page page = new Page(cdp, MAPPER, targetId, sessionId);
        pages.add(page);
        page.enable();
        page.navigate(url);
        return page;
    }

    /** The browser's version string, e.g. {@code Chrome/156.0.8078.79}. */
    public String version() {
        ensureOpen();
        JsonNode v = cdp.send(null, "Browser.getVersion", null, COMMAND_TIMEOUT);
        return v.path("product").asText();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("chromium is closed");
        }
    }

    /** Closes every page, the browser and its whole process tree, and deletes the temporary profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Page page : pages) {
            page.close();
        }
        if (!cdp.isClosed()) {
            try {
                cdp.send(null, "Browser.close", null, Duration.ofSeconds(5));
            } catch (CdpException e) {
                log.debug("chromium did not close itself: {}", e.getMessage());
            }
        }
        cdp.close();
        killTree(process);
        removeHook(shutdownHook);
        deleteTree(profile);
    }

    /** Ends the launcher and every process it started (renderers, zygote, GPU and crash-handler processes). */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : tree) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : tree) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("chromium child process did not exit: pid={}", child.pid());
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete chromium profile: dir={} error={}", root, e.toString());
        }
    }
}
