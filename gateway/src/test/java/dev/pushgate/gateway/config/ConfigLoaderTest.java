package dev.pushgate.gateway.config;

import dev.pushgate.gateway.broker.HistoryPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
