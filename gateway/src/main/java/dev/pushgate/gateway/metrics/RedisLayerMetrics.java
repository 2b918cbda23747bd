package dev.pushgate.gateway.metrics;

import dev.pushgate.gateway.broker.redis.RedisBroker;
import dev.pushgate.gateway.broker.redis.RedisMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Redis layer's meters: outages, resubscribes, publish command latency, malformed messages, liveness probe
 * failures. Thread-safe.
 */
public final class RedisLayerMetrics implements RedisMetrics {
    private final Counter outages;
    private final Counter resubscribes;
    private final Timer resubscribeDuration;
    private final Timer commandLatency;
    private final Counter malformed;
    private final Counter probeFailures;

    public RedisLayerMetrics(MeterRegistry registry) {
        this.outages = Counter.builder(MeterNames.REDIS_OUTAGES)
                .description("Times the Redis layer became unusable (a connection to Redis lost)").register(registry);
        this.resubscribes = Counter.builder(MeterNames.REDIS_RESUBSCRIBES)
                .description("Resubscribes after a Redis reconnect").register(registry);
        this.resubscribeDuration = Timer.builder(MeterNames.REDIS_RESUBSCRIBE_DURATION)
                .description("From the Redis connection's return to the end of the resubscribe").register(registry);
        this.commandLatency = Timer.builder(MeterNames.REDIS_COMMAND_LATENCY)
                .description("From sending a publish command to Redis to its answer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        this.malformed = Counter.builder(MeterNames.REDIS_MALFORMED)
                .description("Redis channel messages dropped as not valid envelopes").register(registry);
        this.probeFailures = Counter.builder(MeterNames.REDIS_PROBE_FAILURES)
                .description("Pub/sub liveness probes that did not come back in time").register(registry);
    }

    /** Registers the gauge of channels {@code broker} holds. */
    public void bind(MeterRegistry registry, RedisBroker broker) {
        Gauge.builder(MeterNames.REDIS_CHANNELS, broker, RedisBroker::subscribedChannels)
                .description("Redis channels this node is subscribed to").register(registry);
    }

    @Override
    public void outage() {
        outages.increment();
    }

    @Override
    public void resubscribed(int topics, long nanos) {
        resubscribes.increment();
        resubscribeDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void command(long nanos) {
        commandLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void malformed() {
        malformed.increment();
    }

    @Override
    public void probeFailed() {
        probeFailures.increment();
    }
}
