package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.demo.DemoStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The demos' state in Redis, shared by every node: a poll is the hash {@code <prefix>demo:vote:<poll>} (candidate →
 * count, {@code HINCRBY}, and the field {@code _version} counting every vote); a lease is the string
 * {@code <prefix>demo:lease:<name>} (holder, {@code SET NX PX}, renewed with {@code PEXPIRE} only by its holder).
 * Runs on the presence connection of {@link RedisConnections} (low-volume traffic that must not delay publishes).
 * Thread-safe; never blocks.
 */
public final class RedisDemoStore implements DemoStore {
    private static final String VERSION_FIELD = "_version";
    /** KEYS: poll hash. ARGV: candidate. Counts the vote and answers the whole hash. */
    private static final RedisScript VOTE = new RedisScript("""
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('HINCRBY', KEYS[1], '_version', 1)
            return redis.call('HGETALL', KEYS[1])
            """);
    /** KEYS: lease key. ARGV: holder, ttl millis. Takes or renews the lease; answers its holder. */
    private static final RedisScript LEASE = new RedisScript("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return holder
            """);

    private final StatefulRedisConnection<String, byte[]> connection;
    private final String prefix;

    /** The demos' state on the presence connection of {@code connections}; close it before the connections. */
    public RedisDemoStore(RedisConnections connections, String prefix) {
        this.connection = connections.presence();
        this.prefix = prefix;
    }

    @Override
    public CompletionStage<Tally> vote(String poll, String candidate, List<String> candidates) {
        return this.<List<Object>>run(VOTE, ScriptOutputType.MULTI, pollKey(poll), utf8(candidate))
                .thenApply(fields -> tally(fields, candidates));
    }

    @Override
    public CompletionStage<Tally> tally(String poll, List<String> candidates) {
        if (!connection.isOpen()) {
            return unavailable();
        }
        return translate(connection.async().hgetall(pollKey(poll)).thenApply(map -> {
            Map<String, Long> counts = new HashMap<>();
            map.forEach((k, v) -> counts.put(k, Long.parseLong(new String(v, StandardCharsets.US_ASCII))));
            return tally(counts, candidates);
        }));
    }

    @Override
    public CompletionStage<String> lease(String name, String holder, Duration ttl) {
        return this.<byte[]>run(LEASE, ScriptOutputType.VALUE, prefix + "demo:lease:" + name, utf8(holder),
                utf8(Long.toString(ttl.toMillis()))).thenApply(h -> h == null ? null : new String(h, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        // The connection belongs to RedisConnections.
    }

    private String pollKey(String poll) {
        return prefix + "demo:vote:" + poll;
    }

    private static Tally tally(List<Object> flat, List<String> candidates) {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            counts.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8),
                    Long.parseLong(new String((byte[]) flat.get(i + 1), StandardCharsets.US_ASCII)));
        }
        return tally(counts, candidates);
    }

    private static Tally tally(Map<String, Long> counts, List<String> candidates) {
        Map<String, Long> out = new LinkedHashMap<>();
        candidates.forEach(c -> out.put(c, counts.getOrDefault(c, 0L)));
        return new Tally(counts.getOrDefault(VERSION_FIELD, 0L), out);
    }

    private <T> CompletionStage<T> run(RedisScript script, ScriptOutputType type, String key, byte[]... args) {
        if (!connection.isOpen()) {
            return unavailable();
        }
        return translate(script.run(connection.async(), type, new String[] {key}, args));
    }

    private static <T> CompletionStage<T> translate(CompletionStage<T> stage) {
        return stage.handle((value, err) -> {
            if (err != null) {
                throw new CompletionException(RedisFailures.translate(err));
            }
            return value;
        });
    }

    private static <T> CompletionStage<T> unavailable() {
        return CompletableFuture.failedFuture(new BrokerUnavailableException("redis unavailable"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
