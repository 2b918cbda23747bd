package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One name per thing, over every file of the repository (git's list of tracked and new files): every
 * {@code GATEWAY_*} variable a document, script, page or deploy file names is one the gateway reads (derived from
 * {@code ConfigKeys}, so renamed or invented ones fail), and {@code PUSHGATE_*} names only the test and tool knobs
 * below. Copy-pasting a stale name (the API key as {@code PUSHGATE_API_KEY}) gave a 401; now it fails the build.
 */
class OneNamePerThingTest {
    private static final Path ROOT = Path.of("..");
    /** A whole variable name; placeholders such as {@code GATEWAY_NAMESPACES_<NS>_PUBLISH} or {@code GATEWAY_*} do not match. */
    private static final Pattern GATEWAY_VAR = Pattern.compile("\\bGATEWAY_[A-Z0-9_]*[A-Z0-9]\\b");
    private static final Pattern KNOB_VAR = Pattern.compile("\\bPUSHGATE_[A-Z0-9_]*[A-Z0-9]\\b");
    /**
     * The PUSHGATE_* variables that exist: knobs of the tests and tools, never gateway configuration (that is
     * GATEWAY_*). Add one here when a test or script reads a new one.
     */
    private static final Set<String> KNOBS = Set.of("PUSHGATE_BROWSER", "PUSHGATE_CHROMIUM",
            "PUSHGATE_REDIS_SERVER", "PUSHGATE_PROMETHEUS", "PUSHGATE_JAVA_OPTS");

    @Test
    void everyVariableTheRepositoryNamesExists() throws Exception {
        List<Path> files = repositoryFiles();
        assertTrue(files.size() > 50, "repository files: " + files.size());
        Set<String> problems = new TreeSet<>();
        for (Path f : files) {
            String rel = ROOT.relativize(f).toString().replace('\\', '/');
            byte[] bytes = Files.readAllBytes(f);
            if (isBinary(bytes)) {
                continue;
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            // Test code names unknown variables on purpose (to see them refused).
            if (!rel.contains("/src/test/")) {
                Matcher g = GATEWAY_VAR.matcher(text);
                while (g.find()) {
                    if (ConfigLoader.keyOfEnvVar(g.group()) == null) {
                        problems.add(rel + ": " + g.group() + " is no configuration variable of the gateway");
                    }
                }
            }
            // This file names the stale ones on purpose.
            Matcher p = KNOB_VAR.matcher(rel.endsWith("/OneNamePerThingTest.java") ? "" : text);
            while (p.find()) {
                if (!KNOBS.contains(p.group())) {
                    problems.add(rel + ": " + p.group() + " does not exist (the gateway reads GATEWAY_* variables, "
                            + "e.g. GATEWAY_API_KEY; test knobs: " + new TreeSet<>(KNOBS) + ")");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theScannerSeesStaleNamesAndSkipsPlaceholders() {
        String text = "Bearer $" + "PUSHGATE_" + "API_KEY, GATEWAY_API_KEY</code>, GATEWAY_NAMESPACES_<NS>_PUBLISH, "
                + "GATEWAY_*, GATEWAY_LOG_* and GATEWAY_" + "PROT=80";
        List<String> gateway = new ArrayList<>();
        GATEWAY_VAR.matcher(text).results().forEach(r -> gateway.add(r.group()));
        assertTrue(gateway.equals(List.of("GATEWAY_API_KEY", "GATEWAY_" + "PROT")), gateway.toString());
        assertTrue(KNOB_VAR.matcher(text).find());
    }

    /** Tracked and new (not ignored) files, from git; without git, every file outside build output. */
    static List<Path> repositoryFiles() throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                    .directory(ROOT.toFile()).redirectErrorStream(false).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
                List<Path> files = new ArrayList<>();
                for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
                    Path p = ROOT.resolve(name);
                    if (!name.isEmpty() && Files.isRegularFile(p)) {
                        files.add(p);
                    }
                }
                return files;
            }
        } catch (IOException noGit) {
            // fall through
        }
        try (Stream<Path> all = Files.walk(ROOT)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().matches(".*[/\\\\](target|\\.git|node_modules)[/\\\\].*")).toList();
        }
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
