package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.presence.Presence;
import dev.pushgate.gateway.presence.PresenceMember;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Presence in Redis, shared by every node. Per topic a sorted set {@code <prefix>presence:expiry:<topic>} (client →
 * expiry in Redis server milliseconds) and a hash {@code <prefix>presence:data:<topic>} (client → member JSON), both
 * with a key expiry, written by scripts that use the server's clock. Each node keeps its own members in memory and
 * rewrites them every {@code ttl/3}; a reader drops members whose expiry passed. So a node that dies without
 * cleaning up loses its members within {@code ttl}, and a topic nobody refreshes disappears as a whole.
 *
 * <p>Writes for one topic are sent while holding that topic's entry in the local map, so an add, a refresh and a
 * remove reach Redis in the order they happened. Thread-safe; never blocks except {@link #close()}.
 */
public final class RedisPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);
    private static final int MAX_MEMBERS_PER_COMMAND = 200;
    private static final Comparator<PresenceMember> ORDER =
            Comparator.comparing(PresenceMember::node).thenComparing(PresenceMember::client);
    private static final String NOW_MILLIS = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;
    /** KEYS: expiry zset, data hash. ARGV: ttl millis, then client, member JSON pairs. */
    private static final RedisScript ADD = new RedisScript(NOW_MILLIS + """
            for i = 2, #ARGV, 2 do
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
              redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 0
            """);
    /** KEYS: expiry zset, data hash. ARGV: clients. */
    private static final RedisScript REMOVE = new RedisScript("""
            for i = 1, #ARGV do
              redis.call('ZREM', KEYS[1], ARGV[i])
              redis.call('HDEL', KEYS[2], ARGV[i])
            end
            return 0
            """);
    /** KEYS: expiry zset, data hash. Drops expired members, answers the rest's JSON. */
    private static final RedisScript LIST = new RedisScript(NOW_MILLIS + """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
            for i = 1, #expired do
              redis.call('HDEL', KEYS[2], expired[i])
            end
            if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
            return redis.call('HVALS', KEYS[2])
            """);

    private final StatefulRedisConnection<String, byte[]> connection;
    private final String prefix;
    private final byte[] ttlMillis;
    private final Duration commandTimeout;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    /** This node's members: topic → client → member JSON. An entry's monitor is its topic's map compute. */
    private final ConcurrentHashMap<String, Map<String, byte[]>> local = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-presence-refresh");
        t.setDaemon(true);
        return t;
    });

    /**
     * Presence on the presence connection of {@code connections} (its own socket and request queue, so refreshes
     * never delay publishes); close it before the connections.
     */
    public RedisPresence(RedisConnections connections, String prefix, Duration ttl, Duration commandTimeout) {
        this(connections.presence(), prefix, ttl, commandTimeout, connections.maxPending());
    }

    /** Presence on {@code connection}, with at most {@code maxPending} writes in flight (more are dropped). */
    RedisPresence(StatefulRedisConnection<String, byte[]> connection, String prefix, Duration ttl,
                  Duration commandTimeout, int maxPending) {
        this.connection = connection;
        this.maxPending = maxPending;
        this.prefix = prefix;
        this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
        this.commandTimeout = commandTimeout;
        long period = Math.max(100, ttl.toMillis() / 3);
        refresher.scheduleAtFixedRate(this::refresh, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void add(String topic, PresenceMember member) {
        byte[] json = member.toJson();
        local.compute(topic, (t, members) -> {
            Map<String, byte[]> m = members != null ? members : new LinkedHashMap<>();
            m.put(member.client(), json);
            write(t, Map.of(member.client(), json));
            return m;
        });
    }

    @Override
    public boolean remove(String topic, String client) {
        boolean[] removed = new boolean[1];
        local.computeIfPresent(topic, (t, members) -> {
            removed[0] = members.remove(client) != null;
            if (removed[0]) {
                send(REMOVE, t, new byte[][] {utf8(client)});
            }
            return members.isEmpty() ? null : members;
        });
        return removed[0];
    }

    @Override
    public CompletionStage<List<PresenceMember>> members(String topic) {
        if (!connection.isOpen()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis unavailable"));
        }
        CompletionStage<List<Object>> values = LIST.run(connection.async(), ScriptOutputType.MULTI, keys(topic));
        return values.handle((list, err) -> {
            if (err != null) {
                throw new CompletionException(RedisFailures.translate(err));
            }
            List<PresenceMember> members = new ArrayList<>(list.size());
            for (Object o : list) {
                try {
                    members.add(PresenceMember.fromJson((byte[]) o));
                } catch (IOException | ClassCastException e) {
                    log.debug("skipping unreadable presence entry: topic={}", topic);
                }
            }
            members.sort(ORDER);
            return members;
        });
    }

    /** Rewrites every local member with a fresh expiry; on the refresher thread. */
    private void refresh() {
        if (!connection.isOpen()) {
            return;
        }
        for (String topic : local.keySet()) {
            local.computeIfPresent(topic, (t, members) -> {
                write(t, members);
                return members;
            });
        }
    }

    private void write(String topic, Map<String, byte[]> members) {
        List<byte[]> args = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : members.entrySet()) {
            args.add(utf8(e.getKey()));
            args.add(e.getValue());
            if (args.size() == 2 * MAX_MEMBERS_PER_COMMAND) {
                sendAdd(topic, args);
                args.clear();
            }
        }
        if (!args.isEmpty()) {
            sendAdd(topic, args);
        }
    }

    private void sendAdd(String topic, List<byte[]> pairs) {
        byte[][] args = new byte[pairs.size() + 1][];
        args[0] = ttlMillis;
        for (int i = 0; i < pairs.size(); i++) {
            args[i + 1] = pairs.get(i);
        }
        send(ADD, topic, args);
    }

    private CompletionStage<Object> send(RedisScript script, String topic, byte[][] args) {
        if (pending.incrementAndGet() > maxPending) {
            // Dropped here rather than by lettuce's queue of the same size, which logs every refusal at WARN; the
            // next refresh writes the members again (a dropped remove expires with its member).
            pending.decrementAndGet();
            log.debug("presence write dropped, queue full: topic={}", topic);
            return CompletableFuture.failedFuture(new BrokerUnavailableException("presence queue full"));
        }
        // Rejected at once while disconnected; the next refresh after the reconnect writes the members again.
        return script.<Object>run(connection.async(), ScriptOutputType.INTEGER, keys(topic), args)
                .whenComplete((ok, err) -> {
                    pending.decrementAndGet();
                    if (err != null) {
                        log.debug("presence write failed: topic={} error={}", topic, err.toString());
                    }
                });
    }

    private String[] keys(String topic) {
        return new String[] {prefix + "presence:expiry:" + topic, prefix + "presence:data:" + topic};
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops refreshing and removes this node's remaining members, waiting up to the command timeout. */
    @Override
    public void close() {
        refresher.shutdownNow();
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (String topic : local.keySet()) {
            local.computeIfPresent(topic, (t, members) -> {
                byte[][] clients = members.keySet().stream().map(RedisPresence::utf8).toArray(byte[][]::new);
                if (connection.isOpen()) {
                    pending.add(send(REMOVE, t, clients).toCompletableFuture());
                }
                return null;
            });
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("presence cleanup incomplete: error={}", e.toString());
        }
    }
}
