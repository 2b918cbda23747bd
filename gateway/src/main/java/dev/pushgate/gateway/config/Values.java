package dev.pushgate.gateway.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the value forms the configuration accepts, and only those: integers (plain counts), booleans
 * ({@code true}/{@code false}, any case), durations
 * ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) and sizes ({@code 512B}, {@code 64KiB}, {@code 1MiB},
 * {@code 1GiB}). Units are case-sensitive and written right after the number; a duration or size needs its unit, except
 * {@code 0}, which means the same in every unit. Anything else ({@code 64KB}, {@code 1m} as a size, {@code 30} as a
 * duration) is refused with the key's label, so a typo never silently means something else.
 */
final class Values {
    /** The units a duration takes, as documented (README, {@code --help}). */
    static final String DURATION_UNITS = "ms, s, m, h";
    /** The units a size takes, as documented (README, {@code --help}). */
    static final String SIZE_UNITS = "B, KiB, MiB, GiB";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(B|KiB|MiB|GiB)");
    private static final long MAX_SIZE = 1L << 30;

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
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + ": not a boolean (true/false): '" + raw + "'");
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or {@code 0}. */
    static Duration duration(String key, String raw) {
        String v = raw.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(key + ": not a duration: '" + raw + "' (a number and one of the units "
                    + DURATION_UNITS + ", e.g. 500ms, 30s, 2m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** {@code 512B}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB}, or {@code 0}. At most 1 GiB. */
    static int size(String key, String raw) {
        return (int) size(key, raw, MAX_SIZE);
    }

    /** A size as {@link #size(String, String)} reads it, at most {@code max} bytes. */
    static long size(String key, String raw, long max) {
        String v = raw.trim();
        if (v.equals("0")) {
            return 0;
        }
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(key + ": not a size: '" + raw + "' (a number and one of the units "
                    + SIZE_UNITS + ", e.g. 512B, 64KiB, 1MiB)");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L;
        };
        if (n > max / unit) {
            throw new ConfigException(key + ": larger than " + (max >> 30) + "GiB: '" + raw + "'");
        }
        return n * unit;
    }
}
