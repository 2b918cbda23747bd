package dev.pushgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.policy.NamespacePolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link GatewayConfig} from, in rising precedence: the defaults in {@link ConfigKeys}, a YAML file,
 * {@code GATEWAY_*} environment variables and explicit overrides (CLI flags, tests). Every value is validated here;
 * an error names the key and the source it came from.
 */
public final class ConfigLoader {
    /** The largest history-size accepted: history is memory (or Redis memory) per topic. */
    private static final int MAX_HISTORY_SIZE = 100_000;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new HashMap<>();

    private ConfigLoader() {
        for (ConfigKey key : ConfigKeys.ALL) {
            put(key.name(), key.defaultValue(), "default");
        }
        ConfigKeys.BUILT_IN.forEach((k, v) -> put(k, v, "default"));
    }

    /** Loads file (may be null), environment and overrides. */
    public static GatewayConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ConfigLoader loader = new ConfigLoader();
        if (file != null) {
            loader.readFile(file);
        }
        loader.readEnv(env);
        overrides.forEach((k, v) -> loader.putChecked(k, v, "override"));
        return loader.build();
    }

    /** The defaults plus {@code overrides}: what tests use. */
    public static GatewayConfig of(Map<String, String> overrides) {
        return load(null, Map.of(), overrides);
    }

    private void readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + ": top level must be a mapping of keys");
        }
        flatten("", root, file.toString());
    }

    private void flatten(String prefix, JsonNode node, String source) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            String name = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                flatten(name, v, source);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                putChecked(name, String.join(",", items), source);
            } else {
                putChecked(name, v.isNull() ? "" : v.asText(), source);
            }
        }
    }

    /**
     * Every {@code GATEWAY_*} variable must name a key: an unknown one (a typo, a stale name) stops the gateway like
     * an unknown key in the file, instead of being ignored while the operator believes it applies.
     */
    private void readEnv(Map<String, String> env) {
        env.forEach((var, value) -> {
            if (!var.startsWith(ConfigKey.ENV_PREFIX)) {
                return;
            }
            String name = keyOfEnvVar(var);
            if (name == null) {
                throw new ConfigException("unknown environment variable " + var + " (GATEWAY_* variables set config "
                        + "keys; java -jar gateway.jar --help lists them)");
            }
            putChecked(name, value, "environment " + var);
        });
    }

    /**
     * The config key an environment variable sets ({@code GATEWAY_WS_MAX_FRAME_SIZE} → {@code ws.max-frame-size},
     * {@code GATEWAY_NAMESPACES_CHAT_JOIN_LEAVE} → {@code namespaces.chat.join-leave}), or {@code null} when it sets
     * none. Derived from {@link ConfigKeys}, so a new key needs no change here.
     */
    public static String keyOfEnvVar(String var) {
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key.envVar().equals(var)) {
                return key.name();
            }
        }
        for (String field : ConfigKeys.NAMESPACE_FIELDS.keySet()) {
            if (ConfigKey.envVarOf("namespace-defaults." + field).equals(var)) {
                return "namespace-defaults." + field;
            }
        }
        return namespaceKeyFromEnv(var);
    }

    /** {@code GATEWAY_NAMESPACES_CHAT_JOIN_LEAVE} → {@code namespaces.chat.join-leave}. */
    private static String namespaceKeyFromEnv(String var) {
        String prefix = "GATEWAY_NAMESPACES_";
        if (!var.startsWith(prefix)) {
            return null;
        }
        String rest = var.substring(prefix.length());
        for (String field : ConfigKeys.NAMESPACE_FIELDS.keySet()) {
            String suffix = "_" + field.toUpperCase(Locale.ROOT).replace('-', '_');
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                String ns = rest.substring(0, rest.length() - suffix.length()).toLowerCase(Locale.ROOT);
                return "namespaces." + ns + "." + field;
            }
        }
        return null;
    }

    private void putChecked(String name, String value, String source) {
        if (ConfigKeys.find(name) == null && !ConfigKeys.isNamespaceKey(name)) {
            throw new ConfigException("unknown config key '" + name + "' (from " + source + ")");
        }
        put(name, value, source);
    }

    private void put(String name, String value, String source) {
        values.put(name, value);
        sources.put(name, source);
    }

    private String raw(String name) {
        return values.get(name);
    }

    private String label(String name) {
        return name + " (from " + sources.get(name) + ")";
    }

    private int integer(String name, int min, int max) {
        return Values.integer(label(name), raw(name), min, max);
    }

    private boolean bool(String name) {
        return Values.bool(label(name), raw(name));
    }

    private Duration duration(String name) {
        return Values.duration(label(name), raw(name));
    }

    private int size(String name) {
        return Values.size(label(name), raw(name));
    }

    private <E extends Enum<E>> E choice(String name, Class<E> type) {
        String v = raw(name).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(label(name) + ": must be one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + raw(name) + "'");
        }
    }

    private GatewayConfig build() {
        List<String> apiKeys = Arrays.stream(raw("api-key").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        boolean generated = apiKeys.isEmpty();
        if (generated) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            apiKeys = List.of(HexFormat.of().formatHex(random));
        }
        for (String k : apiKeys) {
            String key = k.contains(":") ? k.substring(0, k.indexOf(':')) : k;
            if (key.length() < 8) {
                throw new ConfigException(label("api-key") + ": every key must have at least 8 characters");
            }
            try {
                new dev.pushgate.gateway.auth.ApiKeys(List.of(k));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(label("api-key") + ": " + e.getMessage());
            }
        }
        Duration interval = duration("heartbeat.interval");
        Duration timeout = duration("heartbeat.timeout");
        if (interval.isZero() || timeout.compareTo(interval) <= 0) {
            throw new ConfigException(label("heartbeat.timeout") + ": must be longer than heartbeat.interval (> 0)");
        }
        int maxFrame = size("ws.max-frame-size");
        int maxMessage = size("ws.max-message-size");
        if (maxFrame < 128 || maxMessage < maxFrame) {
            throw new ConfigException(label("ws.max-message-size")
                    + ": must be at least ws.max-frame-size, which must be at least 128B");
        }
        Duration presenceTtl = duration("presence.ttl");
        if (presenceTtl.toMillis() < 1000) {
            throw new ConfigException(label("presence.ttl") + ": must be at least 1s");
        }
        return new GatewayConfig(
                nodeId(raw("node-id").trim()),
                raw("host").trim(),
                integer("port", 0, 65535),
                choice("transport", GatewayConfig.TransportKind.class),
                integer("io-threads", 0, 1024),
                apiKeys,
                generated,
                choice("layer", GatewayConfig.Layer.class),
                new GatewayConfig.Redis(redisUri(), redisPrefix(), duration("redis.command-timeout"),
                        integer("redis.max-pending", 1, 10_000_000), duration("redis.probe-interval")),
                presenceTtl,
                new GatewayConfig.WebSocket(maxFrame, maxMessage, bool("ws.compression"),
                        size("ws.compression-min-size"), duration("ws.handshake-timeout"), list("ws.allowed-origins"),
                        bool("ws.echo-enabled")),
                new GatewayConfig.Heartbeat(interval, timeout),
                new GatewayConfig.Http(size("http.max-body-size"), integer("http.max-batch", 1, 100_000),
                        requestTimeout()),
                new GatewayConfig.Limits(integer("limits.max-subscriptions", 1, 1_000_000),
                        integer("limits.topic-max-length", 1, 255),
                        integer("limits.max-connections", 1, Integer.MAX_VALUE),
                        integer("limits.max-connections-per-ip", 0, Integer.MAX_VALUE),
                        integer("limits.messages-per-second", 1, 1_000_000),
                        integer("limits.messages-burst", 1, 10_000_000)),
                new GatewayConfig.Outbound(size("outbound.max-buffer"), duration("outbound.slow-grace"),
                        size("outbound.socket-send-buffer"),
                        Values.size(label("outbound.node-budget"), raw("outbound.node-budget"), 1L << 40)),
                new GatewayConfig.Fanout(duration("fanout.write-delay"), integer("fanout.queue-size", 16, 1 << 24),
                        duration("fanout.max-queue-delay"),
                        size("fanout.cork-threshold"), size("fanout.flush-bytes")),
                duration("shutdown.grace"),
                bool("demos.enabled"),
                raw("demos.tail-file").trim(),
                tls(),
                auth(),
                namespaces(),
                metricsPort(),
                new GatewayConfig.Admin(bool("admin.enabled"), statsInterval()),
                new GatewayConfig.Log(choice("log.format", GatewayConfig.LogFormat.class), logLevel(),
                        bool("log.access")),
                new GatewayConfig.Fallback(duration("sse.retry"), integer("sse.max-streams", 1, Integer.MAX_VALUE),
                        integer("sse.max-streams-per-ip", 0, Integer.MAX_VALUE), pollTimeout(),
                        integer("poll.max-polls", 1, Integer.MAX_VALUE),
                        integer("poll.max-polls-per-ip", 0, Integer.MAX_VALUE)));
    }

    private int metricsPort() {
        int port = integer("metrics.port", 0, 65535);
        boolean clash = port == integer("port", 0, 65535)
                || (bool("tls.enabled") && port == integer("tls.port", 0, 65535));
        if (port != 0 && clash) {
            throw new ConfigException(label("metrics.port") + ": must differ from port and tls.port (0 shares port)");
        }
        return port;
    }

    private Duration requestTimeout() {
        Duration d = duration("http.request-timeout");
        if (d.toMillis() < 100) {
            throw new ConfigException(label("http.request-timeout") + ": must be at least 100ms");
        }
        return d;
    }

    private Duration pollTimeout() {
        Duration d = duration("poll.timeout");
        if (d.toMillis() < 10) {
            throw new ConfigException(label("poll.timeout") + ": must be at least 10ms");
        }
        return d;
    }

    private Duration statsInterval() {
        Duration d = duration("stats.interval");
        if (d.toMillis() < 100) {
            throw new ConfigException(label("stats.interval") + ": must be at least 100ms");
        }
        return d;
    }

    private String logLevel() {
        String level = raw("log.level").trim().toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            throw new ConfigException(label("log.level") + ": must be one of TRACE, DEBUG, INFO, WARN, ERROR, got '"
                    + raw("log.level") + "'");
        }
        return level;
    }

    private List<String> list(String name) {
        return Arrays.stream(raw(name).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private Path path(String name) {
        String v = raw(name).trim();
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw new ConfigException(label(name) + ": file not readable: " + v);
        }
        return p;
    }

    private GatewayConfig.Tls tls() {
        boolean enabled = bool("tls.enabled");
        Path cert = path("tls.cert-file");
        Path key = path("tls.key-file");
        if (enabled && (cert == null || key == null)) {
            throw new ConfigException(label("tls.enabled") + ": needs tls.cert-file and tls.key-file");
        }
        return new GatewayConfig.Tls(enabled, integer("tls.port", 0, 65535), cert, key,
                duration("tls.reload-interval"));
    }

    private GatewayConfig.Auth auth() {
        String secret = raw("auth.hmac-secret");
        if (!secret.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException(label("auth.hmac-secret") + ": must be at least 32 bytes");
        }
        Duration refresh = duration("auth.jwks-refresh");
        if (refresh.isZero()) {
            throw new ConfigException(label("auth.jwks-refresh") + ": must be more than 0");
        }
        return new GatewayConfig.Auth(secret, path("auth.rsa-public-key-file"), path("auth.ec-public-key-file"),
                path("auth.jwks-file"), duration("auth.refresh-warning"), jwksUrl(), refresh,
                duration("auth.jwks-min-refetch"), raw("auth.audience").trim(), raw("auth.issuer").trim());
    }

    private URI jwksUrl() {
        String v = raw("auth.jwks-url").trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(label("auth.jwks-url") + ": must be an http:// or https:// URL, got '" + v + "'");
    }

    /** The key prefix; braces would move the keys' hash tag away from the topic (see RedisWire). */
    private String redisPrefix() {
        String prefix = raw("redis.prefix");
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new ConfigException(label("redis.prefix") + ": must not contain { or }: '" + prefix + "'");
        }
        return prefix;
    }

    private URI redisUri() {
        String raw = raw("redis.uri").trim();
        try {
            URI uri = URI.create(raw);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(label("redis.uri") + ": not a redis:// or rediss:// URI: '" + raw + "'");
        }
    }

    private NamespacePolicies namespaces() {
        NamespacePolicy defaults = new NamespacePolicy(bool("namespace-defaults.publish"),
                bool("namespace-defaults.presence"), bool("namespace-defaults.join-leave"),
                bool("namespace-defaults.anonymous"), slowPolicy("namespace-defaults.slow-consumer"),
                new HistoryPolicy(integer("namespace-defaults.history-size", 0, MAX_HISTORY_SIZE),
                        duration("namespace-defaults.history-ttl")));
        Map<String, NamespacePolicy> named = new HashMap<>();
        for (String name : values.keySet()) {
            if (!name.startsWith("namespaces.")) {
                continue;
            }
            String ns = name.split("\\.")[1];
            if (named.containsKey(ns)) {
                continue;
            }
            String slowKey = "namespaces." + ns + ".slow-consumer";
            named.put(ns, new NamespacePolicy(
                    nsBool(ns, "publish", defaults.clientPublish()),
                    nsBool(ns, "presence", defaults.presence()),
                    nsBool(ns, "join-leave", defaults.joinLeave()),
                    nsBool(ns, "anonymous", defaults.anonymous()),
                    values.containsKey(slowKey) ? slowPolicy(slowKey) : defaults.slowConsumer(),
                    history(ns, defaults.history())));
        }
        return new NamespacePolicies(defaults, named);
    }

    private HistoryPolicy history(String ns, HistoryPolicy fallback) {
        String size = "namespaces." + ns + ".history-size";
        String ttl = "namespaces." + ns + ".history-ttl";
        return new HistoryPolicy(values.containsKey(size) ? integer(size, 0, MAX_HISTORY_SIZE) : fallback.size(),
                values.containsKey(ttl) ? duration(ttl) : fallback.ttl());
    }

    private NamespacePolicy.SlowConsumerPolicy slowPolicy(String name) {
        return choice(name, NamespacePolicy.SlowConsumerPolicy.class);
    }

    private boolean nsBool(String ns, String field, boolean fallback) {
        String name = "namespaces." + ns + "." + field;
        return values.containsKey(name) ? bool(name) : fallback;
    }

    private static String nodeId(String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host + "-" + HexFormat.of().formatHex(random);
    }
}
