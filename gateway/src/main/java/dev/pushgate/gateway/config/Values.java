package dev.pushgate.gateway.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the value forms the configuration accepts: integers, booleans, durations ({@code 30s}) and sizes ({@code 64KiB}). */
final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|m)?", Pattern.CASE_INSENSITIVE);

    private Values() {
    }

    static int integer(String key, String raw, int min, int max) {
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + raw);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not an integer: '" + raw + "'");
        }
    }

    static boolean bool(String key, String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + ": not a boolean (true/false): '" + raw + "'");
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(String key, String raw) {
        Matcher m = DURATION.matcher(raw.trim());
        if (!m.matches()) {
            throw new ConfigException(key + ": not a duration (e.g. 500ms, 30s, 2m): '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** {@code 512B}, {@code 64KiB}, {@code 1MiB}; a bare number is bytes. At most 1 GiB. */
    static int size(String key, String raw) {
        return (int) size(key, raw, 1L << 30);
    }

    /** A size as {@link #size(String, String)} does, at most {@code max} bytes. */
    static long size(String key, String raw, long max) {
        Matcher m = SIZE.matcher(raw.trim());
        if (!m.matches()) {
            throw new ConfigException(key + ": not a size (e.g. 512B, 64KiB, 1MiB): '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long bytes = switch (unit) {
            case "kib", "kb", "k" -> n * 1024;
            case "mib", "mb", "m" -> n * 1024 * 1024;
            case "gib", "gb" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
        if (n > max || bytes > max || bytes < 0) {
            throw new ConfigException(key + ": larger than " + (max >> 30) + "GiB: '" + raw + "'");
        }
        return bytes;
    }
}
