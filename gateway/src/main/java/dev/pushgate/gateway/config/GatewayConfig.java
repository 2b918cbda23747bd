package dev.pushgate.gateway.config;

import dev.pushgate.gateway.policy.NamespacePolicies;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole validated configuration, immutable. Built only by {@link ConfigLoader}; the meaning and default of
 * every value is in {@link ConfigKeys}.
 */
public record GatewayConfig(
        String nodeId,
        String host,
        int port,
        TransportKind transport,
        int ioThreads,
        List<String> apiKeys,
        boolean apiKeyGenerated,
        Layer layer,
        Redis redis,
        Duration presenceTtl,
        WebSocket ws,
        Heartbeat heartbeat,
        Http http,
        Limits limits,
        Outbound outbound,
        Fanout fanout,
        Duration shutdownGrace,
        boolean demosEnabled,
        String demosTailFile,
        Tls tls,
        Auth auth,
        NamespacePolicies namespaces,
        int metricsPort,
        Admin admin,
        Log log,
        Fallback fallback) {

    /** The channel layer behind the hub. */
    public enum Layer { MEMORY, REDIS }

    /** The socket transport. */
    public enum TransportKind { AUTO, EPOLL, IO_URING, NIO }

    /**
     * Redis connection settings (used when {@code layer=redis}); {@code probeInterval} is the pub/sub liveness
     * probe's period ({@code 0}: no probe).
     */
    public record Redis(URI uri, String prefix, Duration commandTimeout, int maxPending, Duration probeInterval) {
        /** The default liveness probe period ({@code redis.probe-interval}). */
        public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);

        /** Settings with the default probe interval. */
        public Redis(URI uri, String prefix, Duration commandTimeout, int maxPending) {
            this(uri, prefix, commandTimeout, maxPending, DEFAULT_PROBE_INTERVAL);
        }
    }

    /** WebSocket limits and options. */
    public record WebSocket(int maxFrameSize, int maxMessageSize, boolean compression, int compressionMinSize,
                            Duration handshakeTimeout, List<String> allowedOrigins, boolean echoEnabled) { }

    /** Server heartbeat: ping after {@code interval} of client silence, close after {@code timeout}. */
    public record Heartbeat(Duration interval, Duration timeout) { }

    /** HTTP API limits; {@code requestTimeout} bounds the arrival of each request. */
    public record Http(int maxBodySize, int maxBatch, Duration requestTimeout) { }

    /** Per-connection limits. */
    public record Limits(int maxSubscriptions, int topicMaxLength, int maxConnections, int maxConnectionsPerIp,
                         int messagesPerSecond, int messagesBurst) { }

    /** The optional TLS listener. Files are {@code null} when not configured. */
    public record Tls(boolean enabled, int port, Path certFile, Path keyFile, Duration reloadInterval) { }

    /**
     * Connection-token verification keys and checks; all keys empty/null means tokens are not in use. An empty
     * {@code audience} or {@code issuer} is not checked; {@code jwksUrl} is null when not configured.
     */
    public record Auth(String hmacSecret, Path rsaPublicKeyFile, Path ecPublicKeyFile, Path jwksFile,
                       Duration refreshWarning, java.net.URI jwksUrl, Duration jwksRefresh, Duration jwksMinRefetch,
                       String audience, String issuer) {
        /** Whether any token key is configured. */
        public boolean enabled() {
            return !hmacSecret.isEmpty() || rsaPublicKeyFile != null || ecPublicKeyFile != null || jwksFile != null
                    || jwksUrl != null;
        }
    }

    /**
     * Outbound budget per connection, the slow-consumer grace period, and the node-wide budget in bytes
     * ({@code nodeBudget} 0: derived from the direct-memory limit at start).
     */
    public record Outbound(int maxBuffer, Duration slowGrace, int socketSendBuffer, long nodeBudget) { }

    /**
     * Fan-out tuning. {@code maxQueueDelay}: a publication that waited longer in an event loop's queue is dropped
     * for that loop instead of delivered late (zero: never). {@code corkThreshold} and {@code flushBytes}: a
     * WebSocket copies fan-out frames smaller than the threshold into one buffer per batch and flushes once that many
     * bytes were written (ADR 0017).
     */
    public record Fanout(Duration writeDelay, int queueSize, Duration maxQueueDelay, int corkThreshold,
                         int flushBytes) { }

    /** The admin page ({@code /admin}, off by default) and how often each node shares its stats. */
    public record Admin(boolean enabled, Duration statsInterval) { }

    /** Log output; the command line applies it to Logback (an embedding application keeps its own logging). */
    public record Log(LogFormat format, String level, boolean access) { }

    /**
     * The HTTP fallback transports: the SSE {@code retry:}, stream caps, the long-poll hold time and poll caps (per IP
     * 0: no cap).
     */
    public record Fallback(Duration sseRetry, int sseMaxStreams, int sseMaxStreamsPerIp, Duration pollTimeout,
                           int pollMaxPolls, int pollMaxPollsPerIp) { }

    /** Log line format. */
    public enum LogFormat { TEXT, JSON }
}
