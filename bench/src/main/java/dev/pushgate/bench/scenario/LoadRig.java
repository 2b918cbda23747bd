package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.cli.LoadOptions;
import dev.pushgate.bench.load.ConnectLauncher;
import dev.pushgate.bench.load.PublishContext;
import dev.pushgate.bench.load.PublisherGroup;
import dev.pushgate.bench.load.SlowReaders;
import dev.pushgate.bench.load.SubscriberContext;
import dev.pushgate.bench.net.HttpConnector;
import dev.pushgate.bench.net.HttpSubscriberConnector;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.net.OpenFileLimit;
import dev.pushgate.bench.net.SourceAddresses;
import dev.pushgate.bench.net.SubscriberConnector;
import dev.pushgate.bench.net.WebSocketConnector;
import dev.pushgate.bench.payload.PayloadWriter;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.RunSetup;
import dev.pushgate.bench.report.WindowResult;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.stats.MicroClock;
import dev.pushgate.bench.stats.ProcessSampler;
import dev.pushgate.bench.stats.PublishStats;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out rig shared by the fanout and ramp scenarios: subscribers spread over the URLs and topics, the
 * publishers, and the counters they feed. Subscribe first, then connect publishers, then measure windows.
 */
final class LoadRig implements AutoCloseable {
    private final BenchOptions options;
    private final LoadOptions load;
    private final NettyTransport transport;
    private final DeliveryStats deliveries = new DeliveryStats();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final PublishStats publishStats;
    private final ProcessSampler sampler;
    private final ConnectLauncher launcher;
    private final PublisherGroup publishers;

    LoadRig(BenchOptions options, NettyTransport transport) {
        this(options, transport, null);
    }

    /** A rig whose connections {@code slow} picks (may be null) read slowly, counted apart. */
    LoadRig(BenchOptions options, NettyTransport transport, SlowReaders slow) {
        this.options = options;
        this.load = options.load();
        this.transport = transport;
        this.publishStats = new PublishStats(load.topics().size());
        this.sampler = new ProcessSampler(options.connect().pids());
        MicroClock clock = MicroClock.system();
        int timeoutMillis = options.connect().connectTimeoutSeconds() * 1000;
        WebSocketConnector ws = new WebSocketConnector(transport, options.connect().target().dialect(),
                timeoutMillis);
        SubscriberContext subscriberContext = new SubscriberContext(ws.dialect(), clock, latency, deliveries,
                load.publishers());
        URI first = options.connect().urls().get(0);
        SubscriberConnector subscribers = switch (load.transport()) {
            case WS -> ws;
            case SSE -> HttpSubscriberConnector.sse(transport, timeoutMillis);
            case POLL -> HttpSubscriberConnector.poll(transport, timeoutMillis);
        };
        this.launcher = new ConnectLauncher(subscribers, options.connect().urls(),
                SourceAddresses.plan(options.connect().sourceIps(), load.subscribers(), host(first)),
                subscriberContext, load.topics(), true, load.subscribers(), options.connect().concurrency(), slow);
        PublishContext publishContext = new PublishContext(load.topics(), new PayloadWriter(load.payloadBytes()),
                clock, publishStats);
        this.publishers = switch (load.publish()) {
            case WS -> PublisherGroup.webSocket(ws, options.connect().urls(), publishContext, load.publishers());
            case HTTP -> PublisherGroup.http(new HttpConnector(transport, timeoutMillis), load.publishUrls(),
                    load.apiKey(), publishContext, load.publishers(), load.batch());
            case REDIS -> PublisherGroup.redis(load.redisUri(), load.redisPrefix(), transport.group(),
                    publishContext, load.publishers());
        };
    }

    /** What the summary echoes about this run. */
    RunSetup setup() {
        return new RunSetup(options.scenario().label(), options.connect().target().label(), load.publish().label(),
                options.connect().urls().stream().map(URI::toString).toList(), load.subscribers(),
                load.topics().size(), load.publishers(), load.payloadBytes(), options.connect().threads(),
                transport.name(), load.transport().label());
    }

    /** Opens and subscribes every subscriber (waits for every ack, a failure or the connect timeout). */
    ConnectResult subscribe(Console console, RunControl control) {
        String fdWarning = OpenFileLimit.warning(load.subscribers() + load.publishers());
        if (fdWarning != null) {
            console.error(fdWarning);
        }
        console.info(String.format("subscribing %d connections to %d topic(s) ...", load.subscribers(),
                load.topics().size()));
        return Connecting.run(launcher, options.connect().connectTimeoutSeconds(), console, control);
    }

    /** Connects the publishers; throws when one cannot connect in time. */
    void connectPublishers(Console console) throws Exception {
        console.info(String.format("connecting %d %s publisher(s) ...", load.publishers(), load.publish().label()));
        publishers.connect(options.connect().connectTimeoutSeconds(), TimeUnit.SECONDS);
    }

    /** Publishes at {@code rate} for {@code seconds}, drains, and returns the window's numbers. */
    WindowResult measure(double rate, double seconds, Console console, RunControl control) {
        return measure(rate, seconds, load.drainSeconds(), console, control, null);
    }

    /** As above, draining for {@code drainSeconds} (0: the next window follows at once); {@code tick} may be null. */
    WindowResult measure(double rate, double seconds, double drainSeconds, Console console, RunControl control,
                         Measurement.Tick tick) {
        return new Measurement(publishers, publishStats, deliveries, latency, sampler, launcher,
                load.topics().size(), tick).run(rate, seconds, drainSeconds, console, control);
    }

    /** Subscribers that subscribed and are not slow readers, per topic index. */
    long readyOnTopic(int topicIndex) {
        return launcher.readyOnTopic(topicIndex);
    }

    @Override
    public void close() throws Exception {
        publishers.stop();
        publishers.close();
        launcher.closeAll(10, TimeUnit.SECONDS);
    }

    private static InetAddress host(URI url) {
        try {
            return InetAddress.getByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + url, e);
        }
    }
}
