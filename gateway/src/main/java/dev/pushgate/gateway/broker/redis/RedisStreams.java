package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.protocol.RedisWire;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Topic positions and history in Redis (layout {@value RedisWire#LAYOUT}): publishes run
 * {@link RedisWire#PUBLISH_SCRIPT} on the publishing connection (next offset, stream append and PUBLISH in one
 * step), history reads run {@link RedisWire#HISTORY_SCRIPT} on the reads connection (position and entries read
 * together, so the answer is consistent). Publishes and reads in flight are each bounded by {@code maxPending}
 * (counted here, before lettuce's queue of the same size, which logs every refusal at WARN); beyond it, or while a
 * connection is down, they fail at once with {@link BrokerUnavailableException}. Thread-safe; never blocks.
 */
final class RedisStreams {
    private static final byte[] ZERO = {'0'};
    private static final byte[] META_TTL = ascii(RedisWire.META_TTL_MILLIS);

    private final StatefulRedisConnection<String, byte[]> publishing;
    private final StatefulRedisConnection<String, byte[]> reads;
    private final String prefix;
    private final int maxPending;
    private final RedisMetrics metrics;
    private final RedisScript publishScript = new RedisScript(RedisWire.PUBLISH_SCRIPT);
    private final RedisScript historyScript = new RedisScript(RedisWire.HISTORY_SCRIPT);
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private final AtomicInteger pendingReads = new AtomicInteger();

    /** Loads both scripts (blocking, at start-up); fails if Redis cannot be reached. */
    RedisStreams(StatefulRedisConnection<String, byte[]> publishing, StatefulRedisConnection<String, byte[]> reads,
                 String prefix, int maxPending, RedisMetrics metrics) {
        this.publishing = publishing;
        this.reads = reads;
        this.prefix = prefix;
        this.maxPending = maxPending;
        this.metrics = metrics;
        for (RedisScript script : List.of(publishScript, historyScript)) {
            String loaded = publishing.sync().scriptLoad(script.text());
            if (!script.sha().equals(loaded)) {
                throw new IllegalStateException("redis answered an unexpected script sha: " + loaded);
            }
        }
    }

    /** See {@link dev.pushgate.gateway.broker.Broker#publish}. */
    CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history) {
        if (!publishing.isOpen()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis unavailable"));
        }
        if (pendingPublishes.incrementAndGet() > maxPending) {
            pendingPublishes.decrementAndGet();
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis publish queue full"));
        }
        long start = System.nanoTime();
        boolean keep = history.enabled();
        CompletionStage<List<Object>> sent = publishScript.run(publishing.async(), ScriptOutputType.MULTI,
                keys(topic), RedisWire.channel(prefix, topic).getBytes(StandardCharsets.UTF_8), data,
                keep ? ascii(history.size()) : ZERO, keep ? ascii(history.ttl().toMillis()) : ZERO, META_TTL);
        return sent.handle((reply, err) -> {
            pendingPublishes.decrementAndGet();
            metrics.command(System.nanoTime() - start);
            if (err != null) {
                throw new CompletionException(RedisFailures.translate(err));
            }
            if (reply == null || reply.size() != 2 || !(reply.get(0) instanceof Long offset)
                    || !(reply.get(1) instanceof byte[] epoch)) {
                throw new IllegalStateException("unexpected publish script reply");
            }
            return new StreamPosition(offset, new String(epoch, StandardCharsets.UTF_8));
        });
    }

    /** See {@link dev.pushgate.gateway.broker.Broker#history}; a {@code limit} below 1 with an offset is refused. */
    CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        if (sinceOffset >= 0 && limit < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be at least 1"));
        }
        if (!reads.isOpen()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis unavailable"));
        }
        if (pendingReads.incrementAndGet() > maxPending) {
            pendingReads.decrementAndGet();
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis history queue full"));
        }
        CompletionStage<List<Object>> sent = historyScript.run(reads.async(), ScriptOutputType.MULTI, keys(topic),
                ascii(Math.max(-1, sinceOffset)), ascii(Math.max(0, limit)), META_TTL);
        return sent.handle((reply, err) -> {
            pendingReads.decrementAndGet();
            if (err != null) {
                throw new CompletionException(RedisFailures.translate(err));
            }
            return RedisHistoryReply.parse(reply, sinceOffset, epoch, limit);
        });
    }

    private String[] keys(String topic) {
        return new String[] {RedisWire.metaKey(prefix, topic), RedisWire.streamKey(prefix, topic)};
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
