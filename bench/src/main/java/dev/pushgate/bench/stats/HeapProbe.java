package dev.pushgate.bench.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the used Java heap of another JVM with {@code jcmd <pid> GC.heap_info}, optionally after {@code GC.run} so
 * that the figure is the live set. Works for G1, Parallel, Serial and ZGC output (the first {@code used N[KMG]}).
 */
public final class HeapProbe {
    private static final Logger log = LoggerFactory.getLogger(HeapProbe.class);
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final long TIMEOUT_SECONDS = 30;

    private final String jcmd;

    private HeapProbe(String jcmd) {
        this.jcmd = jcmd;
    }

    /** A probe using the {@code jcmd} beside the running JVM, or on the PATH. */
    public static HeapProbe locate() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return new HeapProbe(Files.isExecutable(beside) ? beside.toString() : "jcmd");
    }

    /**
     * The used heap of {@code pid} in bytes, after a full GC when {@code collectFirst}.
     *
     * @return the bytes, or {@code -1} when jcmd is missing, fails or prints nothing recognisable
     */
    public long usedBytes(long pid, boolean collectFirst) {
        if (collectFirst && run(pid, "GC.run") == null) {
            return -1;
        }
        String out = run(pid, "GC.heap_info");
        return out == null ? -1 : parseUsed(out);
    }

    /** The first {@code used N[KMG]} of a {@code GC.heap_info} text, in bytes, or {@code -1}. */
    public static long parseUsed(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        if (!m.find()) {
            return -1;
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "K" -> value * 1024;
            case "M" -> value * 1024 * 1024;
            default -> value * 1024 * 1024 * 1024;
        };
    }

    private String run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                log.info("jcmd failed: pid={} command={} output={}", pid, command,
                        new String(out, StandardCharsets.UTF_8).strip());
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.info("jcmd not runnable: path={} error={}", jcmd, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
