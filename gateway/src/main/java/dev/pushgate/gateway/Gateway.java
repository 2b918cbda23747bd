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
import dev.pushgate.gateway.auth.TokenVerifier;
import dev.pushgate.gateway.auth.VerificationKeys;
import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.InMemoryBroker;
import dev.pushgate.gateway.broker.redis.RedisBroker;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.demo.TailDemo;
import dev.pushgate.gateway.demo.VoteEndpoint;
import dev.pushgate.gateway.hub.Hub;
import dev.pushgate.gateway.metrics.CountingBrokerListener;
import dev.pushgate.gateway.metrics.GatewayMetrics;
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
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
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
    private final Broker broker;
    private final Presence presence;
    private final Hub hub;
    private final SessionRegistry sessions;
    private final PrometheusMeterRegistry registry;
    private final RuntimeMetrics runtimeMetrics;
    private final ChannelGroup channels = new DefaultChannelGroup("pushgate", GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final Channel tlsServer;
    /** The separate metrics port's listener, or null when /metrics is on the main port. */
    private final Channel metricsServer;
    private final ClusterStats clusterStats = new ClusterStats(System::nanoTime);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-timer");
        t.setDaemon(true);
        return t;
    });
    private final TailDemo tailDemo;
    private volatile boolean draining;
    private boolean closed;

    private Gateway(GatewayConfig config) throws InterruptedException {
        this.config = config;
        this.loops = EventLoops.create(config.transport(), config.ioThreads());
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        this.runtimeMetrics = new RuntimeMetrics(loops.workers());
        runtimeMetrics.bindTo(registry);
        this.broker = createBroker(config, registry);
        this.presence = broker instanceof RedisBroker redis ? redis.presence(config.presenceTtl())
                : new InMemoryPresence();
        this.hub = new Hub(broker, loops.workers(), PooledByteBufAllocator.DEFAULT, config.fanout().queueSize(),
                config.fanout().writeDelay().toNanos(), metrics,
                topic -> config.namespaces().forTopic(topic).slowConsumer() == NamespacePolicy.SlowConsumerPolicy.SKIP);
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
        PublishService publisher = new PublishService(broker, metrics, config.limits().topicMaxLength(),
                topic -> config.namespaces().forTopic(topic).history());
        TokenVerifier tokens = config.auth().enabled()
                ? new TokenVerifier(VerificationKeys.load(config.auth().hmacSecret(), config.auth().rsaPublicKeyFile(),
                        config.auth().ecPublicKeyFile(), config.auth().jwksFile()), Clock.systemUTC())
                : null;
        PresenceService presenceService = new PresenceService(presence, broker, config.namespaces(),
                config.nodeId());
        SessionServices services = new SessionServices(hub, publisher, config.namespaces(), config.limits(),
                metrics, sessions, tokens, config.auth().refreshWarning(), presenceService, config.admin().enabled());
        GatewayChannelInitializer initializer = new GatewayChannelInitializer(config, services,
                routes(publisher, presenceService));
        this.tailDemo = config.demosEnabled() ? TailDemo.start(publisher, config.demosTailFile()) : null;
        this.server = bind(initializer, config.port());
        if (config.tls().enabled()) {
            TlsContexts tls = new TlsContexts(config.tls());
            tls.watch(timer);
            this.tlsServer = bind(initializer.withTls(tls), config.tls().port());
        } else {
            this.tlsServer = null;
        }
        this.metricsServer = config.metricsPort() == 0 ? null : bindMetrics(metrics);
        long statsMillis = config.admin().statsInterval().toMillis();
        timer.scheduleAtFixedRate(new StatsReporter(config.nodeId(), broker.name(), statsMillis,
                () -> new StatsReporter.Sample(metrics.connections(), hub.topicCount(), hub.subscriptionCount(),
                        metrics.messagesInTotal(), metrics.messagesOutTotal(), metrics.payloadInTotal(),
                        metrics.payloadOutTotal()),
                this::isReady, clusterStats, publisher, System::nanoTime), 0, statsMillis, TimeUnit.MILLISECONDS);
    }

    /** The separate metrics port: {@code /metrics} and the health checks, nothing else. */
    private Channel bindMetrics(GatewayMetrics metrics) throws InterruptedException {
        Map<String, HttpEndpoint> endpoints = Map.of("/metrics", new MetricsEndpoint(registry),
                "/healthz", HealthEndpoint.liveness(), "/readyz", HealthEndpoint.readiness(this::isReady));
        return new ServerBootstrap()
                .group(loops.acceptor(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new MetricsChannelInitializer(endpoints, metrics))
                .bind(config.host(), config.metricsPort()).sync().channel();
    }

    private Channel bind(GatewayChannelInitializer initializer, int port) throws InterruptedException {
        int budget = config.outbound().maxBuffer();
        ServerBootstrap b = new ServerBootstrap();
        if (config.outbound().socketSendBuffer() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, config.outbound().socketSendBuffer());
        }
        return b
                .group(loops.acceptor(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(budget / 2, budget))
                .childHandler(new io.netty.channel.ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                })
                .bind(config.host(), port).sync().channel();
    }

    /** Builds and starts a node; fails if the port cannot be bound. */
    public static Gateway start(GatewayConfig config) {
        try {
            Gateway g = new Gateway(config);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    private static Broker createBroker(GatewayConfig config, MeterRegistry registry) {
        if (config.layer() == GatewayConfig.Layer.REDIS) {
            RedisLayerMetrics redisMetrics = new RedisLayerMetrics(registry);
            RedisBroker redis = RedisBroker.connect(config.redis(), redisMetrics);
            redisMetrics.bind(registry, redis);
            return redis;
        }
        return new InMemoryBroker(topic -> config.namespaces().forTopic(topic).history());
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
            endpoints.put("/demo/vote", new VoteEndpoint(publisher));
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
        presence.close();
        broker.close();
        runtimeMetrics.close();
        registry.close();
        log.info("stopped");
    }

    /** Blocks until the listener is closed. */
    public void awaitClosed() throws InterruptedException {
        server.closeFuture().await();
    }

}
