package dev.pushgate.gateway.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The vector selectors of a PromQL expression (metric name and label matchers), so a test can ask a real Prometheus
 * for exactly the series a dashboard panel or an alert rule reads ({@code /api/v1/series?match[]=...}).
 */
public final class PromQl {
    private PromQl() {
    }

    /** A label matcher of a PromQL selector. */
    public record LabelMatcher(String label, String op, String value) { }

    /** A PromQL vector selector: a metric name and its label matchers (keyed by label + op). */
    public record Selector(String metric, Map<String, LabelMatcher> matchers) { }

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool");
    /** Aggregation operators: their grouping clause may come before the parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile");

    /**
     * The vector selectors of a PromQL expression, by a small scanner: identifiers followed by {@code (} are
     * functions, aggregation operators are not metrics, the parenthesised labels after {@code by}/{@code without} are
     * skipped, string
     * literals and range/subquery brackets are skipped, keywords are not metrics.
     */
    public static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (Character.isDigit(c) || c == '.') {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
                    i++;
                }
                String id = expr.substring(start, i);
                int j = i;
                while (j < n && Character.isWhitespace(expr.charAt(j))) {
                    j++;
                }
                if (GROUPING.contains(id)) {
                    if (j < n && expr.charAt(j) == '(') {
                        i = expr.indexOf(')', j) + 1;
                    }
                } else if (j < n && expr.charAt(j) == '(' || KEYWORDS.contains(id) || AGGREGATIONS.contains(id)) {
                    continue;
                } else {
                    Map<String, LabelMatcher> matchers = new LinkedHashMap<>();
                    if (j < n && expr.charAt(j) == '{') {
                        i = matchers(expr, j + 1, matchers);
                    }
                    out.add(new Selector(id, matchers));
                }
            } else if (c == '{') {
                throw new IllegalArgumentException("selector without a metric name: " + expr);
            } else {
                i++;
            }
        }
        return out;
    }

    private static int matchers(String expr, int i, Map<String, LabelMatcher> out) {
        Pattern one = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|})");
        while (true) {
            Matcher m = one.matcher(expr);
            m.region(i, expr.length());
            if (!m.lookingAt()) {
                if (expr.charAt(i) == '}') {
                    return i + 1;
                }
                throw new IllegalArgumentException("bad label matcher at " + i + " in " + expr);
            }
            out.put(m.group(1) + m.group(2), new LabelMatcher(m.group(1), m.group(2), m.group(3)));
            i = m.end();
            if (m.group(4).equals("}")) {
                return i;
            }
        }
    }

    private static int endOfString(String expr, int i) {
        char quote = expr.charAt(i);
        for (int j = i + 1; j < expr.length(); j++) {
            if (expr.charAt(j) == '\\' && quote != '`') {
                j++;
            } else if (expr.charAt(j) == quote) {
                return j + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string in " + expr);
    }

    /** {@code selector} as a series matcher for the HTTP API, without the matchers on {@code skipLabels}. */
    public static String matcher(Selector selector, Set<String> skipLabels) {
        String labels = selector.matchers().values().stream().filter(m -> !skipLabels.contains(m.label()))
                .map(m -> m.label() + m.op() + "\"" + m.value() + "\"") // the value as written: escapes kept
                .collect(Collectors.joining(","));
        return selector.metric() + "{" + labels + "}";
    }
}
