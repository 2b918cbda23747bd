package dev.pushgate.bench.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The most file descriptors this process may open: the hard "Max open files" of {@code /proc/self/limits} (the JVM
 * raises its soft limit to the hard one at start). Every connection needs one.
 */
public final class OpenFileLimit {
    private OpenFileLimit() {
    }

    /** The limit, or {@code -1} when unknown or unlimited. */
    public static long current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The hard "Max open files" of a {@code /proc/<pid>/limits} text, or {@code -1}. */
    public static long parse(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                if (parts.length >= 2 && parts[1].chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(parts[1]);
                }
            }
        }
        return -1;
    }

    /** A warning when {@code connections} (plus some spare descriptors) exceed the limit, else {@code null}. */
    public static String warning(long connections) {
        long limit = current();
        long spare = 200;
        if (limit > 0 && connections + spare > limit) {
            return "only " + limit + " file descriptors may be open (ulimit -Hn) for " + connections
                    + " connections; raise it (ulimit -n, LimitNOFILE, /etc/security/limits.conf) for the bench and"
                    + " the server, or expect EMFILE failures";
        }
        return null;
    }
}
