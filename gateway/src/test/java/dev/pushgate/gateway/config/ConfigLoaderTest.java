package dev.pushgate.gateway.config;

import dev.pushgate.gateway.broker.HistoryPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @Test
    void defaultsWithNothingConfigured() {
        GatewayConfig c = ConfigLoader.load(null, Map.of(), Map.of());
        assertEquals(8080, c.port());
        assertEquals(GatewayConfig.Layer.MEMORY, c.layer());
        assertEquals(Duration.ofSeconds(30), c.heartbeat().interval());
        assertEquals(Duration.ofSeconds(35), c.heartbeat().timeout());
        assertEquals(Duration.ofSeconds(2), c.redis().probeInterval());
        assertTrue(c.apiKeyGenerated());
        assertTrue(c.namespaces().forTopic("chat.lobby").clientPublish());
        assertFalse(c.namespaces().forTopic("news.x").clientPublish());
        assertFalse(c.namespaces().forTopic("plain").clientPublish());
    }

    @Test
    void fileThenEnvironmentThenOverridesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                port: 9000
                api-key: from-file-key
                layer: redis
                redis:
                  uri: redis://cache:6380
                ws:
                  max-frame-size: 16KiB
                namespaces:
                  news:
                    publish: true
                """);
        GatewayConfig fileOnly = ConfigLoader.load(file, Map.of(), Map.of());
        assertEquals(9000, fileOnly.port());
        assertEquals(16 * 1024, fileOnly.ws().maxFrameSize());
        assertEquals("redis://cache:6380", fileOnly.redis().uri().toString());
        assertTrue(fileOnly.namespaces().forTopic("news.a").clientPublish());

        GatewayConfig env = ConfigLoader.load(file, Map.of("GATEWAY_PORT", "9100", "GATEWAY_API_KEY", "env-key-123",
                "GATEWAY_NAMESPACES_NEWS_PUBLISH", "false", "GATEWAY_HEARTBEAT_INTERVAL", "5s",
                "GATEWAY_HEARTBEAT_TIMEOUT", "9s", "HOME", "/root"), Map.of());
        assertEquals(9100, env.port());
        assertEquals("env-key-123", env.apiKeys().get(0));
        assertFalse(env.namespaces().forTopic("news.a").clientPublish());
        assertEquals(Duration.ofSeconds(5), env.heartbeat().interval());

        GatewayConfig cli = ConfigLoader.load(file, Map.of("GATEWAY_PORT", "9100"), Map.of("port", "9200"));
        assertEquals(9200, cli.port());
    }

    @Test
    void invalidValuesFailNamingTheKeyAndSource(@TempDir Path dir) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("GATEWAY_PORT", "eighty"), Map.of()));
        assertTrue(e.getMessage().contains("port") && e.getMessage().contains("GATEWAY_PORT"), e.getMessage());

        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "prot: 80\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of(), Map.of()));
        assertTrue(unknown.getMessage().contains("'prot'"), unknown.getMessage());

        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("layer", "postgres")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("heartbeat.timeout", "10s")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("ws.max-frame-size", "lots")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("redis.uri", "http://x")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("redis.prefix", "app{1}:")),
                "braces would move the keys' hash tag off the topic");
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("redis.probe-interval", "often")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("api-key", "short")));
        assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("port", "70000")));
    }

    @Test
    void historyIsPerNamespaceFromFileOrEnvironment() {
        GatewayConfig c = ConfigLoader.load(null, Map.of("GATEWAY_NAMESPACES_NEWS_HISTORY_SIZE", "50",
                "GATEWAY_NAMESPACES_NEWS_HISTORY_TTL", "2m", "GATEWAY_NAMESPACES_CHAT_HISTORY_SIZE", "0"), Map.of());
        assertEquals(new HistoryPolicy(50, Duration.ofMinutes(2)), c.namespaces().forTopic("news.a").history());
        assertFalse(c.namespaces().forTopic("chat.a").history().enabled(), "chat turned off");
        assertEquals(new HistoryPolicy(100, Duration.ofMinutes(10)),
                ConfigLoader.load(null, Map.of(), Map.of()).namespaces().forTopic("demo.vote").history());
        assertFalse(ConfigLoader.load(null, Map.of(), Map.of()).namespaces().forTopic("other.x").history().enabled());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("GATEWAY_NAMESPACES_NEWS_HISTORY_SIZE", "-1"), Map.of()));
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        for (ConfigKey k : ConfigKeys.ALL) {
            assertTrue(k.envVar().matches("GATEWAY_[A-Z0-9_]+"), k.envVar());
        }
        assertEquals("GATEWAY_REDIS_URI", ConfigKeys.find("redis.uri").envVar());
        assertEquals("GATEWAY_API_KEY", ConfigKeys.find("api-key").envVar());
    }
    @Test
    void fanoutMaxQueueDelayDefaultsTo250msAndZeroTurnsItOff() {
        assertEquals(Duration.ofMillis(250), ConfigLoader.of(Map.of()).fanout().maxQueueDelay());
        assertEquals(Duration.ZERO, ConfigLoader.load(null, Map.of("GATEWAY_FANOUT_MAX_QUEUE_DELAY", "0"), Map.of())
                .fanout().maxQueueDelay());
    }

    @Test
    void sizesAndDurationsTakeExactlyTheDocumentedUnits() {
        GatewayConfig c = ConfigLoader.of(Map.of("ws.max-frame-size", "512B", "ws.max-message-size", "1MiB",
                "http.max-body-size", "1GiB", "outbound.max-buffer", "64KiB", "outbound.socket-send-buffer", "0",
                "heartbeat.interval", "2m", "heartbeat.timeout", "1h", "outbound.slow-grace", "1500ms",
                "fanout.write-delay", "0", "shutdown.grace", "7s"));
        assertEquals(512, c.ws().maxFrameSize());
        assertEquals(1 << 20, c.ws().maxMessageSize());
        assertEquals(1 << 30, c.http().maxBodySize());
        assertEquals(64 * 1024, c.outbound().maxBuffer());
        assertEquals(0, c.outbound().socketSendBuffer());
        assertEquals(Duration.ofMinutes(2), c.heartbeat().interval());
        assertEquals(Duration.ofHours(1), c.heartbeat().timeout());
        assertEquals(Duration.ofMillis(1500), c.outbound().slowGrace());
        assertEquals(Duration.ZERO, c.fanout().writeDelay());
        assertEquals(Duration.ofSeconds(7), c.shutdownGrace());

        // Undocumented forms: decimal and lower-case units, m as MiB, bare numbers, spaces, fractions, days.
        for (String size : List.of("64KB", "64kb", "64k", "1m", "1M", "1mib", "1MB", "1GB", "65536", "64 KiB", "1.5MiB",
                "-1KiB", "2GiB", "99999999999999999999KiB", "KiB", "")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(null, Map.of("GATEWAY_WS_MAX_MESSAGE_SIZE", size), Map.of()), size);
            assertTrue(e.getMessage().startsWith("ws.max-message-size (from environment GATEWAY_WS_MAX_MESSAGE_SIZE)"),
                    e.getMessage());
        }
        for (String duration : List.of("30", "30S", "30sec", "1d", "1H", "5M", "0.5s", "30 s", "-1s", "1m30s", "s")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.of(Map.of("outbound.slow-grace", duration)), duration);
            assertTrue(e.getMessage().startsWith("outbound.slow-grace (from override)")
                    && e.getMessage().contains("ms, s, m, h"), e.getMessage());
        }
    }

    @Test
    void booleansAreTrueOrFalse() {
        assertTrue(ConfigLoader.of(Map.of("ws.echo-enabled", "TRUE")).ws().echoEnabled());
        for (String v : List.of("yes", "on", "1", "no", "off", "0", "")) {
            assertThrows(ConfigException.class, () -> ConfigLoader.of(Map.of("ws.echo-enabled", v)), v);
        }
    }

    @Test
    void aBadUnitInTheFileNamesTheKeyAndTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "ws:\n  max-frame-size: 16KB\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("ws.max-frame-size (from " + file + ")")
                && e.getMessage().contains("B, KiB, MiB, GiB"), e.getMessage());
    }

    @Test
    void anUnknownGatewayVariableStopsTheGatewayLikeAnUnknownFileKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("GATEWAY_PROT", "80"), Map.of()));
        assertTrue(e.getMessage().contains("GATEWAY_PROT"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("GATEWAY_NAMESPACES_NEWS_PUBLISHH", "true"), Map.of()));
        assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("GATEWAY_NAMESPACE_DEFAULTS_COLOUR", "red"), Map.of()));
        // Other variables are not the gateway's business.
        assertEquals(8080, ConfigLoader.load(null, Map.of("PATH", "/bin", "JAVA_OPTS", "-Xmx1g"), Map.of()).port());
    }

    @Test
    void everyKeyAndNamespaceFieldIsReachableFromTheEnvironment() {
        // Derived from ConfigKeys: a key added there is accepted from the environment without touching the loader.
        for (ConfigKey k : ConfigKeys.ALL) {
            assertEquals(k.name(), ConfigLoader.keyOfEnvVar(k.envVar()));
        }
        for (String field : ConfigKeys.NAMESPACE_FIELDS.keySet()) {
            String suffix = field.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            assertEquals("namespaces.news." + field, ConfigLoader.keyOfEnvVar("GATEWAY_NAMESPACES_NEWS_" + suffix));
            assertEquals("namespace-defaults." + field,
                    ConfigLoader.keyOfEnvVar("GATEWAY_NAMESPACE_DEFAULTS_" + suffix));
        }
        assertEquals("namespaces.chat.join-leave", ConfigLoader.keyOfEnvVar("GATEWAY_NAMESPACES_CHAT_JOIN_LEAVE"));
        assertNull(ConfigLoader.keyOfEnvVar("GATEWAY_NAMESPACES__PUBLISH"));
        assertNull(ConfigLoader.keyOfEnvVar("GATEWAY_"));
    }
}
