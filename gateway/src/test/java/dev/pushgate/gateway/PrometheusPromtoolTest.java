package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.Prometheus;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus' own tool on the gateway's output and the deploy files: {@code promtool check metrics} on live scrapes
 * (a memory node and a Redis node, after traffic), {@code promtool check rules} on the alert rules, and
 * {@code promtool test rules} on their unit tests, which must cover every alert both firing and quiet.
 */
class PrometheusPromtoolTest {
    private static final Path PROMETHEUS_DIR = Path.of("..", "deploy", "prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void promtoolAcceptsLiveScrapesOfAMemoryAndARedisNode() throws Exception {
        Prometheus.tool("promtool");
        Gateway memory = TestGateways.start(Map.of("demos.enabled", "false"));
        Gateway redis = TestGateways.start(REDIS.gatewayConfig(RedisServerExtension.uniquePrefix("promtool")));
        try {
            for (Gateway g : List.of(memory, redis)) {
                try (WsClient c = WsClient.connect(TestGateways.wsUrl(g))) {
                    c.subscribe("news.promtool");
                    assertEquals(200, Http.publish(TestGateways.httpUrl(g),
                            "{\"topic\":\"news.promtool\",\"data\":1}").statusCode());
                    c.nextMessage();
                }
                String scrape = Http.get(TestGateways.httpUrl(g) + "/metrics").body();
                Prometheus.Run run = Prometheus.promtool(Path.of("."), scrape, "check", "metrics");
                assertEquals(0, run.exitCode(), "promtool check metrics (" + g.config().layer() + "): " + run.output());
            }
        } finally {
            memory.close();
            redis.close();
        }
    }

    @Test
    void theAlertRulesPassPromtoolsChecks() throws Exception {
        Prometheus.Run run = Prometheus.promtool(PROMETHEUS_DIR, null, "check", "rules", "alerts.yml");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("SUCCESS"), run.output());
    }

    @Test
    void everyAlertRuleHasUnitTestsThatPass() throws Exception {
        Prometheus.Run run = Prometheus.promtool(PROMETHEUS_DIR.resolve("tests"), null, "test", "rules",
                "alerts-test.yml");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("SUCCESS"), run.output());

        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : YAML.readTree(PROMETHEUS_DIR.resolve("alerts.yml").toFile()).path("groups")) {
            group.path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
        }
        assertTrue(alerts.size() >= 8, "alerts: " + alerts);
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        JsonNode tests = YAML.readTree(PROMETHEUS_DIR.resolve("tests/alerts-test.yml").toFile());
        assertEquals("../alerts.yml", tests.path("rule_files").get(0).asText());
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                (c.path("exp_alerts").isEmpty() ? quiet : fires).add(c.path("alertname").asText());
            }
        }
        assertEquals(alerts, new TreeSet<>(fires), "every alert has a case where it fires");
        assertEquals(alerts, new TreeSet<>(quiet), "every alert has a case where it stays quiet");
    }
}
