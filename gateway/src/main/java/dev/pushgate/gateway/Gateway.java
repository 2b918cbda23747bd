package dev.pushgate.gateway;

import dev.pushgate.gateway.api.AdminPage;
import dev.pushgate.gateway.api.HealthEndpoint;
import dev.pushgate.gateway.api.HistoryEndpoint;
import dev.pushgate.gateway.api.HttpEndpoint;
import dev.pushgate.gateway.api.MetricsEndpoint;
import dev.pushgate.gateway.api.PresenceEndpoint;
import dev.pushgate.gateway.api.PublishEndpoint;
import dev.pushgate.gateway.api.StaticFiles;
import dev.pushgate.gateway.api.StatsEndpoint;
import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.gateway.auth.RemoteKeySet;
import dev.pushgate.gateway.auth.TokenVerifier;
import dev.pushgate.gateway.auth.VerificationKeys;
import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.InMemoryBroker;
import dev.pushgate.gateway.broker.redis.RedisBroker;
import dev.pushgate.gateway.broker.redis.RedisConnections;
import dev.pushgate.gateway.broker.redis.RedisDemoStore;
import dev.pushgate.gateway.broker.redis.RedisPresence;
import dev.pushgate.gateway.config.ConfigException;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.demo.DemoStore;
import dev.pushgate.gateway.demo.InMemoryDemoStore;
import dev.pushgate.gateway.demo.TailDemo;
import dev.pushgate.gateway.demo.VoteEndpoint;
import dev.pushgate.gateway.hub.Hub;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.metrics.CountingBrokerListener;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.metrics.JwksMetrics;
import dev.pushgate.gateway.metrics.MeterNames;
import dev.pushgate.gateway.metrics.RedisLayerMetrics;
import dev.pushgate.gateway.metrics.RuntimeMetrics;
import dev.pushgate.gateway.policy.NamespacePolicy;
import dev.pushgate.gateway.presence.InMemoryPresence;
import dev.pushgate.gateway.presence.Presence;
import dev.pushgate.gateway.presence.PresenceService;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.session.Session;
import dev.pushgate.gateway.session.SessionRegistry;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.stats.ClusterStats;
import dev.pushgate.gateway.stats.StatsReporter;
import dev.pushgate.gateway.transport.EventLoops;
import dev.pushgate.gateway.transport.GatewayChannelInitializer;
import dev.pushgate.gateway.transport.MetricsChannelInitializer;
import dev.pushgate.gateway.transport.Routes;
import dev.pushgate.gateway.transport.TlsContexts;
import dev.pushgate.protocol.CloseCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One gateway node: builds the broker, hub, sessions, HTTP routes and the Netty listener from a
 * {@link GatewayConfig}, and drains them on {@link #close()}: stop accepting, report not-ready, send Close 1001 to
 * every WebSocket, wait for them to go (at most the grace period), then stop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final EventLoops loops;
    /** The Redis connections shared by the broker and presence, or null on the memory layer. */
    private final RedisConnections redis;
    private final Broker broker;
    private final Presence presence;
    private final Hub hub;
    private final OutboundBudget budget;
    private final SessionRegistry sessions;
    private final PrometheusMeterRegistry registry;
    private final RuntimeMetrics runtimeMetrics;
    private final ChannelGroup channels = new DefaultChannelGroup("pushgate", GlobalEventExecutor.INSTANCE);
    private final GatewayChannelInitializer initializer;
    private final GatewayMetrics metrics;
    private final PublishService publisher;
    /** The listeners, set by {@link #listen} (before the node is handed out). */
    private Channel server;
    private Channel tlsServer;
    /** The separate metrics port's listener, or null when /metrics is on the main port. */
    private Channel metricsServer;
    private final ClusterStats clusterStats = new ClusterStats(System::nanoTime);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-timer");
        t.setDaemon(true);
        return t;
    });
    private final TailDemo tailDemo;
    /** The demos' shared state (vote counts, the tail lease), in the channel layer. */
    private final DemoStore demoStore;
    /** Connection-token verification, or null when no token key is configured. */
    private final TokenVerifier tokens;
    /** Held here: the registry keeps function meters' state objects only weakly. */
    private final JwksMetrics jwksMetrics;
    private volatile boolean draining;
    private boolean closed;

    /**
     * Builds everything but the listeners. {@code started} gets a closer for each thing that holds threads,
     * connections or files, as soon as it exists, so a start that fails half-way can release them.
     */
    private Gateway(GatewayConfig config, Deque<AutoCloseable> started) {
        this.config = config;
        // First: a key file that cannot be used fails the start before anything else is running.
        this.tokens = config.auth().enabled() ? tokenVerifier(config.auth()) : null;
        if (tokens != null) {
            started.push(tokens::close);
        }
        started.push(timer::shutdownNow);
        this.loops = EventLoops.create(config.transport(), config.ioThreads());
        started.push(() -> loops.shutdown(1000));
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        started.push(registry::close);
        registry.config().meterFilter(RuntimeMetrics.PROMETHEUS_NAMING);
        this.metrics = new GatewayMetrics(registry);
        this.runtimeMetrics = new RuntimeMetrics(loops.workers());
        started.push(runtimeMetrics::close);
        runtimeMetrics.bindTo(registry);
        this.jwksMetrics = new JwksMetrics(tokens == null ? null : tokens.remoteKeys());
        jwksMetrics.bindTo(registry);
        this.redis = config.layer() == GatewayConfig.Layer.REDIS ? RedisConnections.connect(config.redis()) : null;
        if (redis != null) {
            started.push(redis::close);
        }
        this.broker = createBroker(config, registry, redis);
        started.push(broker::close);
        this.presence = redis != null ? new RedisPresence(redis, config.redis().prefix(), config.presenceTtl(),
                config.redis().commandTimeout()) : new InMemoryPresence();
        started.push(presence::close);
        this.budget = new OutboundBudget(nodeBudget(config.outbound()), loops.workers(),
                Math.max(1, config.outbound().maxBuffer() / 4), maxQueueDelay(config.fanout()), System::nanoTime);
        Gauge.builder(MeterNames.OUTBOUND_BUDGET_USED, budget, OutboundBudget::inUse).baseUnit("bytes")
                .description("Outbound bytes counted against the node budget").register(registry);
        Gauge.builder(MeterNames.OUTBOUND_BUDGET_LIMIT, budget, OutboundBudget::limit).baseUnit("bytes")
                .description("The node's outbound budget").register(registry);
        this.hub = new Hub(broker, loops.workers(), PooledByteBufAllocator.DEFAULT, config.fanout().queueSize(),
                config.fanout().writeDelay().toNanos(), metrics,
                topic -> config.namespaces().forTopic(topic).slowConsumer() == NamespacePolicy.SlowConsumerPolicy.SKIP,
                budget);
        broker.start(config.layer() == GatewayConfig.Layer.REDIS ? new CountingBrokerListener(hub, metrics) : hub);
        // Cluster stats are an ordinary node-internal subscriber of the stats topic, for the node's whole life.
        hub.listen(StatsReporter.TOPIC, clusterStats::accept);
        Gauge.builder(MeterNames.TOPICS, hub, Hub::topicCount).description("Topics with local subscribers")
                .register(registry);
        Gauge.builder(MeterNames.SUBSCRIPTIONS, hub, Hub::subscriptionCount).description("Local subscriptions")
                .register(registry);
        Gauge.builder(MeterNames.BROKER_UP, broker, b -> b.isReady() ? 1 : 0).tag("layer", broker.name())
                .description("1 when the channel layer is usable").register(registry);
        Gauge.builder(MeterNames.READY, this, g -> g.isReady() ? 1 : 0)
                .description("1 while the node takes traffic (/readyz 200)").register(registry);
        this.sessions = new SessionRegistry();
        this.publisher = new PublishService(broker, metrics, config.limits().topicMaxLength(),
                topic -> config.namespaces().forTopic(topic).history());
        PresenceService presenceService = new PresenceService(presence, broker, config.namespaces(),
                config.nodeId());
        SessionServices services = new SessionServices(hub, publisher, config.namespaces(), config.limits(),
                metrics, sessions, tokens, config.auth().refreshWarning(), presenceService, config.admin().enabled());
        this.demoStore = redis != null ? new RedisDemoStore(redis, config.redis().prefix()) : new InMemoryDemoStore();
        started.push(demoStore::close);
        this.initializer = new GatewayChannelInitializer(config, services, routes(publisher, presenceService),
                budget);
        this.tailDemo = config.demosEnabled()
                ? TailDemo.start(publisher, demoStore, config.nodeId(), config.demosTailFile()) : null;
        if (tailDemo != null) {
            started.push(tailDemo::close);
        }
    }

    /**
     * Binds the listeners (main port, TLS port, metrics port) and starts the stats timer. {@code started} gets a
     * closer for each bound listener. Fails with {@link ListenException} naming the address that could not be bound.
     */
    private void listen(Deque<AutoCloseable> started) {
        this.server = bind(initializer, config.port());
        started.push(() -> server.close().awaitUninterruptibly());
        if (config.tls().enabled()) {
            TlsContexts tls = new TlsContexts(config.tls());
            tls.watch(timer);
            this.tlsServer = bind(initializer.withTls(tls), config.tls().port());
            started.push(() -> tlsServer.close().awaitUninterruptibly());
        }
        if (config.metricsPort() != 0) {
            this.metricsServer = bindMetrics(metrics);
            started.push(() -> metricsServer.close().awaitUninterruptibly());
        }
        long statsMillis = config.admin().statsInterval().toMillis();
        timer.scheduleAtFixedRate(new StatsReporter(config.nodeId(), broker.name(), statsMillis,
                () -> new StatsReporter.Sample(metrics.connections(), hub.topicCount(), hub.subscriptionCount(),
                        metrics.messagesInTotal(), metrics.messagesOutTotal(), metrics.payloadInTotal(),
                        metrics.payloadOutTotal()),
                this::isReady, clusterStats, publisher, System::nanoTime), 0, statsMillis, TimeUnit.MILLISECONDS);
    }

    /** The separate metrics port: {@code /metrics} and the health checks, nothing else. */
    private Channel bindMetrics(GatewayMetrics metrics) {
        Map<String, HttpEndpoint> endpoints = Map.of("/metrics", new MetricsEndpoint(registry),
                "/healthz", HealthEndpoint.liveness(), "/readyz", HealthEndpoint.readiness(this::isReady));
        return bound(config.metricsPort(), new ServerBootstrap()
                .group(loops.acceptor(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new MetricsChannelInitializer(endpoints, metrics, config.http().requestTimeout()))
                .bind(config.host(), config.metricsPort()));
    }

    /** Waits for {@code bind}; a failure becomes a {@link ListenException} naming the address. */
    private Channel bound(int port, ChannelFuture bind) {
        bind.awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new ListenException(config.host(), port, bind.cause());
        }
        return bind.channel();
    }

    private Channel bind(GatewayChannelInitializer initializer, int port) {
        int connectionBudget = config.outbound().maxBuffer();
        ServerBootstrap b = new ServerBootstrap();
        if (config.outbound().socketSendBuffer() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, config.outbound().socketSendBuffer());
        }
        return bound(port, b
                .group(loops.acceptor(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // No TCP_NODELAY child option: Netty's socket configs (epoll, io_uring, NIO) turn it on when they are
                // created on every platform but Android, so setting it again cost a setsockopt per accepted connection.
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(connectionBudget / 2, connectionBudget))
                .childHandler(new io.netty.channel.ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                })
                .bind(config.host(), port));
    }

    /**
     * Builds and starts a node. When it cannot (a port is taken, a key file is wrong, Redis refuses), everything
     * started so far (event loops, timers, the broker and its Redis connections, listeners already bound) is released
     * before the exception leaves: {@link ListenException} when a port cannot be bound.
     */
    public static Gateway start(GatewayConfig config) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        Gateway g;
        try {
            g = new Gateway(config, started);
            g.listen(started);
        } catch (RuntimeException | Error e) {
            release(started, e);
            throw e;
        }
        log.info("pushgate listening: address={}:{} transport={} layer={} node={}", config.host(), g.port(),
                g.loops.name(), g.broker.name(), config.nodeId());
        if (g.tlsServer != null) {
            log.info("pushgate listening with tls: address={}:{} provider={}", config.host(), g.tlsPort(),
                    TlsContexts.provider());
        }
        if (g.metricsServer != null) {
            log.info("metrics listening: address={}:{}", config.host(), g.metricsPort());
        }
        if (config.admin().enabled()) {
            log.info("admin page enabled: path=/admin statsTopic={}", StatsReporter.TOPIC);
        }
        return g;
    }

    /** Closes what a failed start had started, newest first; a failure to close is added to {@code cause}. */
    private static void release(Deque<AutoCloseable> started, Throwable cause) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * How far behind newer traffic a queued publication may fall before it is shed: {@code fanout.max-queue-delay}
     * beyond {@code fanout.write-delay}, which holds publications back on purpose (0 stays 0: never shed).
     */
    static long maxQueueDelay(GatewayConfig.Fanout fanout) {
        long max = fanout.maxQueueDelay().toNanos();
        return max == 0 ? 0 : max + fanout.writeDelay().toNanos();
    }

    /**
     * {@code outbound.node-budget}, or by default half of the direct memory Netty may use (-XX:MaxDirectMemorySize or
     * -Dio.netty.maxDirectMemory; without either, the JVM's default, the maximum heap size).
     */
    static long nodeBudget(GatewayConfig.Outbound outbound) {
        return outbound.nodeBudget() > 0 ? outbound.nodeBudget()
                : Math.max(outbound.maxBuffer(), PlatformDependent.maxDirectMemory() / 2);
    }

    /** The node's outbound byte budget. */
    public OutboundBudget outboundBudget() {
        return budget;
    }

    /** The token verifier of {@code auth}; a key file that cannot be used is a configuration error. */
    private static TokenVerifier tokenVerifier(GatewayConfig.Auth auth) {
        VerificationKeys keys;
        try {
            keys = VerificationKeys.load(auth.hmacSecret(), auth.rsaPublicKeyFile(), auth.ecPublicKeyFile(),
                    auth.jwksFile());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        RemoteKeySet remote = auth.jwksUrl() == null ? null
                : RemoteKeySet.start(auth.jwksUrl(), auth.jwksRefresh(), auth.jwksMinRefetch(), Clock.systemUTC());
        return new TokenVerifier(keys, remote, Clock.systemUTC(), auth.audience(), auth.issuer());
    }

    private static Broker createBroker(GatewayConfig config, MeterRegistry registry, RedisConnections redis) {
        if (redis == null) {
            return new InMemoryBroker(topic -> config.namespaces().forTopic(topic).history());
        }
        RedisLayerMetrics redisMetrics = new RedisLayerMetrics(registry);
        // A failure here is cleaned up by the caller's list of started parts (the connections are on it).
        RedisBroker broker = new RedisBroker(redis, config.redis(), redisMetrics);
        redisMetrics.bind(registry, broker);
        return broker;
    }

    private Routes routes(PublishService publisher, PresenceService presenceService) {
        Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("/api/publish", new PublishEndpoint(new ApiKeys(config.apiKeys()), publisher,
                config.http().maxBatch(), config.limits().topicMaxLength()));
        endpoints.put("/api/presence", new PresenceEndpoint(new ApiKeys(config.apiKeys()), presenceService,
                config.limits().topicMaxLength()));
        endpoints.put("/api/history", new HistoryEndpoint(new ApiKeys(config.apiKeys()), broker,
                topic -> config.namespaces().forTopic(topic).history(), config.limits().topicMaxLength()));
        endpoints.put("/healthz", HealthEndpoint.liveness());
        endpoints.put("/readyz", HealthEndpoint.readiness(this::isReady));
        if (config.metricsPort() == 0) {
            endpoints.put("/metrics", new MetricsEndpoint(registry));
        }
        endpoints.put("/api/stats", new StatsEndpoint(new ApiKeys(config.apiKeys()), config.nodeId(), clusterStats));
        if (config.admin().enabled()) {
            endpoints.put("/admin", new AdminPage());
        }
        if (config.demosEnabled()) {
            endpoints.put("/demo/vote", new VoteEndpoint(publisher, demoStore));
        }
        return new Routes(endpoints, new StaticFiles(config.demosEnabled()));
    }

    /** The bound port (useful with {@code port: 0}). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The bound metrics port, or -1 when {@code /metrics} is served on the main port. */
    public int metricsPort() {
        return metricsServer == null ? -1 : ((InetSocketAddress) metricsServer.localAddress()).getPort();
    }

    /** The bound TLS port, or -1 without TLS. */
    public int tlsPort() {
        return tlsServer == null ? -1 : ((InetSocketAddress) tlsServer.localAddress()).getPort();
    }

    /** Ready for traffic: the channel layer is up and the node is not draining. */
    public boolean isReady() {
        return !draining && broker.isReady();
    }

    /** The node's configuration. */
    public GatewayConfig config() {
        return config;
    }

    /** Open WebSocket sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The node's meters, as {@code /metrics} serves them (for tests: exact counts without parsing a scrape). */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** The node's hub (for tests and stats). */
    public Hub hub() {
        return hub;
    }

    /** Drains and stops; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        long graceMillis = config.shutdownGrace().toMillis();
        log.info("draining: sessions={} graceMillis={}", sessions.size(), graceMillis);
        server.close().awaitUninterruptibly();
        if (tlsServer != null) {
            tlsServer.close().awaitUninterruptibly();
        }
        timer.shutdownNow();
        for (Session s : sessions.all()) {
            s.close(CloseCode.GOING_AWAY);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            // Production drain loop, not test synchronisation: sessions leave as their clients answer the Close.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (sessions.size() > 0) {
            log.warn("grace period over, closing the rest: sessions={}", sessions.size());
        }
        channels.close().awaitUninterruptibly(1000);
        if (metricsServer != null) {
            metricsServer.close().awaitUninterruptibly();
        }
        loops.shutdown(1000);
        hub.discardPending();
        if (tailDemo != null) {
            tailDemo.close();
        }
        demoStore.close();
        presence.close();
        broker.close();
        if (tokens != null) {
            tokens.close();
        }
        if (redis != null) {
            redis.close();
        }
        runtimeMetrics.close();
        registry.close();
        log.info("stopped");
    }

    /** Blocks until the listener is closed. */
    public void awaitClosed() throws InterruptedException {
        server.closeFuture().await();
    }

}
