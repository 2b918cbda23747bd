package dev.pushgate.gateway.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (what {@code /metrics} serves), for tests: the
 * Prometheus Java libraries on the classpath only write the format, they do not read it. It follows the format's
 * grammar line by line instead of matching regular expressions over the text:
 *
 * <pre>
 * line    = "# HELP " name " " docstring | "# TYPE " name " " type | "#" comment | sample | ""
 * sample  = name [ "{" [ label { "," label } [ "," ] ] "}" ] " " value [ " " timestamp ]
 * label   = label_name "=" '"' escaped '"'        (escapes: \\ \" \n)
 * name    = [a-zA-Z_:][a-zA-Z0-9_:]*              label_name = [a-zA-Z_][a-zA-Z0-9_]*
 * value   = Go float: decimal, exponent, NaN, +Inf, -Inf          timestamp = integer milliseconds
 * </pre>
 *
 * and checks what a scraper relies on: at most one HELP and one TYPE per family, TYPE before the family's samples,
 * a family's samples together, no label twice in a sample, no series twice, histogram buckets with {@code le},
 * rising counts and a {@code +Inf} bucket equal to {@code _count}. Any violation throws {@link ParseException}
 * naming the line.
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value, Long timestamp) { }

    /** One metric family: its TYPE (untyped when none was given), HELP and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) { }

    /** A grammar or consistency violation. */
    public static final class ParseException extends RuntimeException {
        ParseException(int line, String message, String text) {
            super("line " + line + ": " + message + ": " + text);
        }
    }

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, Family> families;
    private final List<Sample> samples;

    private PrometheusText(Map<String, Family> families, List<Sample> samples) {
        this.families = families;
        this.samples = samples;
    }

    /** Parses a whole exposition. */
    public static PrometheusText parse(String text) {
        return new Parser(text).run();
    }

    public Map<String, Family> families() {
        return Collections.unmodifiableMap(families);
    }

    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** Every sample name in the scrape (e.g. {@code pushgate_fanout_latency_seconds_bucket}). */
    public Set<String> sampleNames() {
        Set<String> names = new HashSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The family {@code name}, or null. */
    public Family family(String name) {
        return families.get(name);
    }

    /**
     * The sum of the samples named {@code name} whose labels include every pair in {@code labels} ({@code "k", "v",
     * ...}); 0 when a series with those labels does not exist (yet): counters start at 0.
     */
    public double value(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet())) {
                sum += s.value();
            }
        }
        return sum;
    }

    /** Whether some sample is named {@code name} and carries every pair in {@code labels}. */
    public boolean has(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        return samples.stream().anyMatch(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(wanted.entrySet()));
    }

    private static Map<String, String> pairs(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return m;
    }

    private static final class Parser {
        private final String text;
        private final Map<String, String> types = new LinkedHashMap<>();
        private final Map<String, String> helps = new LinkedHashMap<>();
        private final Map<String, List<Sample>> byFamily = new LinkedHashMap<>();
        private final Set<String> closedFamilies = new HashSet<>();
        private final Set<String> series = new HashSet<>();
        private final List<Sample> all = new ArrayList<>();
        private String current;
        private int lineNo;
        private String line;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        PrometheusText run() {
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new ParseException(0, "exposition must end with a newline", "");
            }
            for (String l : text.split("\n", -1)) {
                lineNo++;
                line = l;
                pos = 0;
                if (l.isEmpty()) {
                    continue;
                }
                if (l.startsWith("#")) {
                    comment();
                } else {
                    sample();
                }
            }
            Map<String, Family> families = new LinkedHashMap<>();
            for (Map.Entry<String, List<Sample>> e : byFamily.entrySet()) {
                String type = types.getOrDefault(e.getKey(), "untyped");
                families.put(e.getKey(), new Family(e.getKey(), type, helps.get(e.getKey()), List.copyOf(e.getValue())));
                if (type.equals("histogram")) {
                    checkHistogram(e.getKey(), e.getValue());
                }
            }
            for (String declared : types.keySet()) {
                families.computeIfAbsent(declared, n -> new Family(n, types.get(n), helps.get(n), List.of()));
            }
            return new PrometheusText(families, all);
        }

        private void comment() {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                boolean help = line.startsWith("# HELP ");
                pos = 7;
                String name = metricName();
                String rest;
                if (pos == line.length()) {
                    rest = "";
                } else {
                    expect(' ');
                    rest = line.substring(pos);
                }
                if (help) {
                    if (helps.put(name, unescapeHelp(rest)) != null) {
                        fail("second HELP for " + name);
                    }
                    return;
                }
                if (!TYPES.contains(rest)) {
                    fail("unknown type '" + rest + "'");
                }
                if (types.put(name, rest) != null) {
                    fail("second TYPE for " + name);
                }
                if (byFamily.containsKey(name)) {
                    fail("TYPE after samples of " + name);
                }
                enter(name);
            }
            // any other line starting with # is a comment
        }

        private void sample() {
            String name = metricName();
            Map<String, String> labels = new TreeMap<>();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                labels(labels);
            }
            expect(' ');
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ') {
                pos++;
            }
            double value = floatValue(line.substring(start, pos));
            Long timestamp = null;
            if (pos < line.length()) {
                expect(' ');
                String ts = line.substring(pos);
                try {
                    timestamp = Long.parseLong(ts);
                } catch (NumberFormatException e) {
                    fail("bad timestamp '" + ts + "'");
                }
            }
            String family = familyOf(name);
            if (!family.equals(current)) {
                enter(family);
            }
            if (!series.add(name + labels)) {
                fail("series twice: " + name + labels);
            }
            Sample s = new Sample(name, Collections.unmodifiableMap(labels), value, timestamp);
            byFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
            all.add(s);
        }

        /** The family a sample belongs to: the current typed family when the name fits it, else its own name. */
        private String familyOf(String name) {
            if (current != null) {
                String type = types.getOrDefault(current, "untyped");
                if (name.equals(current)) {
                    return current;
                }
                if ((type.equals("histogram") || type.equals("summary"))
                        && (name.equals(current + "_sum") || name.equals(current + "_count"))) {
                    return current;
                }
                if (type.equals("histogram") && name.equals(current + "_bucket")) {
                    return current;
                }
            }
            return name;
        }

        private void enter(String family) {
            if (current != null && !current.equals(family)) {
                closedFamilies.add(current);
            }
            if (closedFamilies.contains(family)) {
                fail("samples of " + family + " are not together");
            }
            current = family;
        }

        private void labels(Map<String, String> labels) {
            while (true) {
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                String name = labelName();
                expect('=');
                expect('"');
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (pos >= line.length()) {
                        fail("unterminated label value");
                    }
                    char c = line.charAt(pos++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (pos >= line.length()) {
                            fail("dangling escape");
                        }
                        char e = line.charAt(pos++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> fail("bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(name, value.toString()) != null) {
                    fail("label twice: " + name);
                }
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= line.length() || line.charAt(pos) != '}') {
                    fail("expected , or }");
                }
            }
        }

        private String metricName() {
            int start = pos;
            while (pos < line.length()) {
                char c = line.charAt(pos);
                boolean ok = Character.isLetter(c) && c < 128 || c == '_' || c == ':'
                        || pos > start && c >= '0' && c <= '9';
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                fail("expected a metric name");
            }
            return line.substring(start, pos);
        }

        private String labelName() {
            int start = pos;
            while (pos < line.length()) {
                char c = line.charAt(pos);
                boolean ok = Character.isLetter(c) && c < 128 || c == '_' || pos > start && c >= '0' && c <= '9';
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                fail("expected a label name");
            }
            return line.substring(start, pos);
        }

        private double floatValue(String v) {
            switch (v) {
                case "NaN":
                    return Double.NaN;
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            // Go's ParseFloat syntax without hex floats, underscores or Java's suffixes (d, f).
            if (!v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                fail("bad value '" + v + "'");
            }
            return Double.parseDouble(v);
        }

        private void checkHistogram(String family, List<Sample> list) {
            Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
            Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
            for (Sample s : list) {
                Map<String, String> key = new TreeMap<>(s.labels());
                if (s.name().equals(family + "_bucket")) {
                    if (key.remove("le") == null) {
                        throw new ParseException(0, "bucket without le", family);
                    }
                    buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                } else if (s.name().equals(family + "_count")) {
                    counts.put(key, s.value());
                }
            }
            for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
                double previousLe = Double.NEGATIVE_INFINITY;
                double previousCount = 0;
                Sample last = null;
                for (Sample b : e.getValue()) {
                    double le = floatOf(b.labels().get("le"), family);
                    if (le <= previousLe || b.value() < previousCount) {
                        throw new ParseException(0, "buckets not rising", family + e.getKey());
                    }
                    previousLe = le;
                    previousCount = b.value();
                    last = b;
                }
                if (last == null || !"+Inf".equals(last.labels().get("le"))) {
                    throw new ParseException(0, "no +Inf bucket", family + e.getKey());
                }
                Double count = counts.get(e.getKey());
                if (count == null || count != last.value()) {
                    throw new ParseException(0, "+Inf bucket differs from _count", family + e.getKey());
                }
            }
        }

        private static double floatOf(String v, String family) {
            if ("+Inf".equals(v)) {
                return Double.POSITIVE_INFINITY;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException | NullPointerException e) {
                throw new ParseException(0, "bad le '" + v + "'", family);
            }
        }

        private static String unescapeHelp(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(++i);
                    b.append(e == 'n' ? '\n' : e);
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private void expect(char c) {
            if (pos >= line.length() || line.charAt(pos) != c) {
                fail("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void fail(String message) {
            throw new ParseException(lineNo, message, line);
        }
    }
}
