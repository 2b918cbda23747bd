package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.MeterSnapshot;
import dev.pushgate.gateway.testing.PromQl;
import dev.pushgate.gateway.testing.Prometheus;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scraping two gateway nodes on one Redis, with the alert rules of {@code deploy/prometheus}
 * loaded: every query of the Grafana dashboard answers with data (from both nodes where it is per node), every
 * series and label value the dashboard and the alert rules select exists, and every rule evaluates without error.
 */
class PrometheusServerTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Labels Prometheus adds to every scraped series (not in the scrape itself), or that only Kubernetes has. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "pod");

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aRealPrometheusHasEverySeriesTheDashboardAndTheAlertsUse(@TempDir Path dir) throws Exception {
        Prometheus.tool("prometheus");
        String prefix = RedisServerExtension.uniquePrefix("prometheus");
        Map<String, String> settings = new java.util.HashMap<>(REDIS.gatewayConfig(prefix));
        settings.put("demos.enabled", "false");
        Gateway a = TestGateways.start(withNode(settings, "gw-a"));
        Gateway b = TestGateways.start(withNode(settings, "gw-b"));
        try {
            // Series that exist once something happened: a close code, an HTTP answer, an error frame, a delivery
            // from one node to the other through Redis.
            try (WsClient onA = WsClient.connect(TestGateways.wsUrl(a));
                 WsClient onB = WsClient.connect(TestGateways.wsUrl(b))) {
                onA.subscribe("news.prometheus");
                onB.subscribe("news.prometheus");
                assertEquals("forbidden", onA.publish("news.prometheus", "1").path("code").asText());
                assertEquals(200, Http.publish(TestGateways.httpUrl(b),
                        "{\"topic\":\"news.prometheus\",\"data\":1}").statusCode());
                onA.nextMessage();
                onB.nextMessage();
            }
            System.gc(); // the GC pause timers appear with the first collection the nodes are told about
            for (Gateway g : List.of(a, b)) {
                Await.until(Duration.ofSeconds(10), () -> MeterSnapshot.of(g.meterRegistry()).has("jvm.gc.pause"),
                        () -> "no GC pause timer");
            }
            List<String> targets = List.of("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
            try (Prometheus prometheus = Prometheus.start(dir, targets,
                    List.of(ROOT.resolve("deploy/prometheus/alerts.yml")))) {
                Await.until(WAIT, () -> query(prometheus, "up{job=\"pushgate\"} == 1").size() == 2,
                        () -> "both nodes up; log: " + prometheus.log());

                // The dashboard's node variable: label_values(pushgate_connections, instance).
                JsonNode instances = prometheus.api("label/instance/values", "match[]", "pushgate_connections");
                Set<String> seen = new TreeSet<>();
                instances.forEach(i -> seen.add(i.asText()));
                assertEquals(new TreeSet<>(targets), seen);

                List<String> dashboard = dashboardQueries();
                assertTrue(dashboard.size() >= 30, "dashboard queries: " + dashboard.size());
                // Rates need two scrapes of a series; wait until every query has data rather than guessing.
                Await.until(WAIT, () -> unanswered(prometheus, dashboard, targets).isEmpty(),
                        () -> "dashboard queries without data: " + unanswered(prometheus, dashboard, targets));

                List<String> alerts = alertExpressions();
                List<String> absent = new ArrayList<>();
                for (String expr : concat(dashboard, alerts)) {
                    for (PromQl.Selector s : PromQl.selectors(expr)) {
                        String match = PromQl.matcher(s, TARGET_LABELS);
                        if (prometheus.series(match).isEmpty()) {
                            absent.add(match + " (in " + expr + ")");
                        }
                    }
                }
                assertTrue(absent.isEmpty(), "series nothing scraped: " + absent);

                // The rules loaded and evaluate cleanly against real data.
                Await.until(WAIT, () -> ruleHealth(prometheus).stream().allMatch(h -> h.equals("ok")),
                        () -> "rule health: " + ruleHealth(prometheus));
                assertEquals(alerts.size(), ruleHealth(prometheus).size(), "every alert rule is loaded");
                assertFalse(prometheus.log().contains("level=error"), prometheus.log());
            }
        } finally {
            a.close();
            b.close();
        }
    }

    private static Map<String, String> withNode(Map<String, String> settings, String node) {
        Map<String, String> m = new java.util.HashMap<>(settings);
        m.put("node-id", node);
        return m;
    }

    /** Every {@code expr} of the dashboard, with Grafana's node variable set to all nodes (its allValue). */
    private static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/pushgate.json").toFile());
        Set<String> exprs = new LinkedHashSet<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText().replace("$instance", ".*")));
        return new ArrayList<>(exprs);
    }

    private static List<String> alertExpressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : YAML.readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile()).path("groups")) {
            group.path("rules").forEach(r -> exprs.add(r.path("expr").asText()));
        }
        return exprs;
    }

    /**
     * The queries that answer no series yet, or (for those grouped by instance) not one per node: a query of
     * metrics that do not exist, or whose labels are wrong, never gets data.
     */
    private static List<String> unanswered(Prometheus prometheus, List<String> queries, List<String> targets) {
        List<String> missing = new ArrayList<>();
        for (String q : queries) {
            JsonNode result = query(prometheus, q);
            Set<String> nodes = new TreeSet<>();
            result.forEach(r -> {
                if (r.path("metric").has("instance")) {
                    nodes.add(r.path("metric").path("instance").asText());
                }
            });
            if (result.isEmpty() || (!nodes.isEmpty() && !nodes.equals(new TreeSet<>(targets)))) {
                missing.add(q + " -> " + result);
            }
        }
        return missing;
    }

    private static JsonNode query(Prometheus prometheus, String expr) {
        try {
            return prometheus.query(expr);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ruleHealth(Prometheus prometheus) {
        List<String> health = new ArrayList<>();
        try {
            for (JsonNode group : prometheus.api("rules").path("groups")) {
                group.path("rules").forEach(r -> health.add(r.path("health").asText() + (r.has("lastError")
                        && !r.path("lastError").asText().isEmpty() ? ": " + r.path("lastError").asText() : "")));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return health;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
