package dev.pushgate.gateway.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.core.RedisServerBuilder;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real Redis per test class on a free port ({@code @RegisterExtension static}), from embedded-redis (Redis 6.2
 * bundled for linux/macOS x86-64 and arm64), else a {@code redis-server} on the PATH (Debian: {@code apt-get install
 * redis-server}); set {@code PUSHGATE_REDIS_SERVER} to a {@code redis-server} binary to choose one. No persistence,
 * unless made by {@link #withAppendOnlyFile()} (AOF with {@code appendfsync always} in a temporary directory, so a
 * restart keeps every acknowledged write). {@link #stop()} and {@link #start()} restart it on the same port (the
 * outage tests). {@link #redis()} is a lettuce connection for assertions and backend-style publishing.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    static {
        // As the gateway does: epoll for lettuce, without its "epoll and io_uring both available" warning.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
    }

    private final boolean appendOnly;
    private Path dataDir;
    private int port;
    private RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    /** A server without persistence: a restart loses everything. */
    public RedisServerExtension() {
        this(false);
    }

    private RedisServerExtension(boolean appendOnly) {
        this.appendOnly = appendOnly;
    }

    /** A server with an append-only file fsynced on every write: a restart keeps every acknowledged write. */
    public static RedisServerExtension withAppendOnlyFile() {
        return new RedisServerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (appendOnly) {
            dataDir = Files.createTempDirectory("pushgate-redis-aof");
        }
        port = freePort();
        start();
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(5)).build());
        connection = client.connect();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (connection != null) {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        stop();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Starts (or restarts) the server on this extension's port; returns once it accepts connections. */
    public synchronized void start() throws IOException {
        String binary = System.getenv("PUSHGATE_REDIS_SERVER");
        if (binary != null && !binary.isBlank()) {
            start(() -> new java.io.File(binary));
            return;
        }
        try {
            start(ExecutableProvider.newJarResourceProvider());
        } catch (IOException | RuntimeException bundled) {
            // The bundled binary does not run here (another OS or libc): use a redis-server on the PATH.
            try {
                start(ExecutableProvider.newExecutableInPath("redis-server"));
            } catch (IOException noneOnPath) {
                bundled.addSuppressed(noneOnPath);
                throw bundled;
            }
        }
    }

    private void start(ExecutableProvider executable) throws IOException {
        RedisServerBuilder builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("protected-mode no")
                .executableProvider(executable);
        if (appendOnly) {
            builder.setting("appendonly yes").setting("appendfsync always").setting("dir " + dataDir);
        } else {
            builder.setting("appendonly no");
        }
        server = builder.build();
        server.start();
    }

    /** Stops the server (its clients see the connection close); the data is gone. */
    public synchronized void stop() throws IOException {
        if (server != null && server.isActive()) {
            server.stop();
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Commands on a test connection (reconnects by itself after a restart). */
    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** {@code PUBSUB NUMSUB channel}: how many connections subscribe to it. */
    public long numsub(String channel) {
        Long n = redis().pubsubNumsub(channel).get(channel);
        return n == null ? 0 : n;
    }

    /** A key prefix no other test in this JVM uses, e.g. {@code t3-presence:}. */
    public static String uniquePrefix(String name) {
        return "t" + PREFIXES.incrementAndGet() + "-" + name + ":";
    }

    /** Gateway overrides for {@code layer: redis} on this server with {@code prefix}. */
    public Map<String, String> gatewayConfig(String prefix) {
        Map<String, String> m = new HashMap<>();
        m.put("layer", "redis");
        m.put("redis.uri", uri());
        m.put("redis.prefix", prefix);
        m.put("redis.command-timeout", "2s");
        return m;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
