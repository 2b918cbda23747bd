package dev.pushgate.bench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raw command-line arguments: positional words and {@code --flag value} / {@code --flag=value} pairs (a flag may
 * repeat), with typed getters that remember which flags were read so that {@link #rejectUnread()} can refuse
 * unknown ones. Not thread-safe.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> flags = new LinkedHashMap<>();
    private final Set<String> read = new TreeSet<>();

    private Args() {
    }

    /** Parses {@code argv}; flags in {@code switches} take no value. */
    public static Args parse(String[] argv, Set<String> switches) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                if (a.equals("-h")) {
                    args.flags.computeIfAbsent("help", k -> new ArrayList<>()).add("true");
                } else {
                    args.positional.add(a);
                }
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (switches.contains(name)) {
                value = "true";
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            args.flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return args;
    }

    public List<String> positional() {
        return positional;
    }

    /** Whether switch {@code name} was given (and not as {@code --name=false}). */
    public boolean flag(String name) {
        String v = last(name);
        return v != null && !v.equalsIgnoreCase("false");
    }

    /** Every value of {@code name}, comma lists split, in order; empty when absent. */
    public List<String> all(String name) {
        read.add(name);
        List<String> out = new ArrayList<>();
        for (String v : flags.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    public String string(String name, String fallback) {
        String v = last(name);
        return v == null ? fallback : v;
    }

    public int integer(String name, int fallback, int min) {
        String v = last(name);
        if (v == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(v.replace("_", ""));
            if (value < min) {
                throw new UsageException("--" + name + " must be at least " + min + ": " + v);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not an integer: " + v);
        }
    }

    public double decimal(String name, double fallback, double min) {
        String v = last(name);
        if (v == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(v.replace("_", ""));
            if (!(value >= min)) {
                throw new UsageException("--" + name + " must be at least " + min + ": " + v);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a number: " + v);
        }
    }

    /** Fails on any flag that no getter asked for. */
    public void rejectUnread() {
        for (String name : flags.keySet()) {
            if (!read.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    private String last(String name) {
        read.add(name);
        List<String> values = flags.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
