package dev.pushgate.publisher;

import dev.pushgate.protocol.BrokerEnvelope;
import dev.pushgate.protocol.RedisWire;
import dev.pushgate.protocol.Topics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Publishes to pushgate topics straight into the Redis the gateway nodes share: every node with subscribers of the
 * topic delivers the message, exactly as if it had been published through a node.
 *
 * <pre>{@code
 * try (RedisPublisher publisher = RedisPublisher.connect("redis://localhost:6379")) {
 *     // chat.* keeps history on the gateways (namespaces.chat.history-size / history-ttl): pass the same here.
 *     Position p = publisher.publish("chat.lobby", "{\"text\":\"hi\"}", 100, Duration.ofMinutes(10))
 *             .toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>{@link #publish} runs the gateway's own publish script ({@link RedisWire#PUBLISH_SCRIPT}, by SHA, sent again in
 * full when Redis answers {@code NOSCRIPT}), so subscribers see one rising {@code seq} per topic whoever publishes,
 * and the publication lands in the topic's history when a history size and time to live are given (the publisher
 * does not know the gateways' namespace settings: pass the namespace's {@code history-size} and {@code history-ttl},
 * or reconnecting clients cannot recover what it published). {@link #publishUnsequenced} is a plain {@code PUBLISH}
 * of {@code {"data":...}}: no {@code seq}, not in history. Both check the topic and that the
 * data is one JSON value, and throw {@link IllegalArgumentException} otherwise; Redis failures complete the stage
 * exceptionally. Thread-safe; nothing blocks but {@link #connect} and {@link #close}.
 */
public final class RedisPublisher implements AutoCloseable {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte[] META_TTL = ascii(RedisWire.META_TTL_MILLIS);

    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisClient ownedClient;
    private final String prefix;
    private final String scriptSha;

    private RedisPublisher(StatefulRedisConnection<String, byte[]> connection, RedisClient ownedClient,
                           String prefix) {
        this.connection = connection;
        this.ownedClient = ownedClient;
        this.prefix = prefix;
        this.scriptSha = connection.sync().scriptLoad(RedisWire.PUBLISH_SCRIPT);
    }

    /** Connects to {@code redisUri} with the default prefix {@code pushgate:}. */
    public static RedisPublisher connect(String redisUri) {
        return connect(redisUri, RedisWire.DEFAULT_PREFIX, Duration.ofSeconds(2));
    }

    /**
     * Connects to {@code redisUri}; {@code prefix} must equal the gateways' {@code redis.prefix}. Commands fail
     * after {@code timeout} and fail at once while the connection is down (no unbounded buffering).
     */
    public static RedisPublisher connect(String redisUri, String prefix, Duration timeout) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            return new RedisPublisher(client.connect(CODEC), client, prefix);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Publishes over a connection the caller owns (and closes); {@code prefix} as the gateways' {@code redis.prefix}. */
    public static RedisPublisher using(StatefulRedisConnection<String, byte[]> connection, String prefix) {
        return new RedisPublisher(connection, null, prefix);
    }

    /**
     * Publishes {@code jsonData} (one JSON value) to {@code topic} without keeping it in history; completes with its
     * position.
     */
    public CompletionStage<Position> publish(String topic, String jsonData) {
        return publish(topic, jsonData.getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO);
    }

    /**
     * Publishes {@code jsonData} (one JSON value) to {@code topic} and keeps it in the topic's history (the last
     * {@code historySize} publications, for {@code historyTtl} after the last one; {@code 0}: none); completes with
     * its position.
     */
    public CompletionStage<Position> publish(String topic, String jsonData, int historySize, Duration historyTtl) {
        return publish(topic, jsonData.getBytes(StandardCharsets.UTF_8), historySize, historyTtl);
    }

    /** As {@link #publish(String, String, int, Duration)} with UTF-8 JSON bytes. */
    public CompletionStage<Position> publish(String topic, byte[] jsonData, int historySize, Duration historyTtl) {
        check(topic, jsonData);
        if (historySize < 0 || historyTtl.isNegative()) {
            throw new IllegalArgumentException("history size and time to live must not be negative");
        }
        boolean keep = historySize > 0 && historyTtl.toMillis() > 0;
        String[] keys = {RedisWire.metaKey(prefix, topic), RedisWire.streamKey(prefix, topic)};
        byte[][] args = {RedisWire.channel(prefix, topic).getBytes(StandardCharsets.UTF_8), jsonData,
                ascii(keep ? historySize : 0), ascii(keep ? historyTtl.toMillis() : 0), META_TTL};
        RedisAsyncCommands<String, byte[]> redis = connection.async();
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        redis.<List<Object>>evalsha(scriptSha, ScriptOutputType.MULTI, keys, args)
                .whenComplete((reply, err) -> {
                    if (err == null) {
                        result.complete(reply);
                    } else if (unwrap(err) instanceof RedisNoScriptException) {
                        redis.<List<Object>>eval(RedisWire.PUBLISH_SCRIPT, ScriptOutputType.MULTI, keys, args)
                                .whenComplete((r, e) -> complete(result, r, e));
                    } else {
                        result.completeExceptionally(unwrap(err));
                    }
                });
        return result.thenApply(RedisPublisher::position);
    }

    private static Position position(List<Object> reply) {
        if (reply == null || reply.size() != 2 || !(reply.get(0) instanceof Long offset)
                || !(reply.get(1) instanceof byte[] epoch)) {
            throw new IllegalStateException("unexpected publish script reply: " + reply);
        }
        return new Position(offset, new String(epoch, StandardCharsets.UTF_8));
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Publishes {@code jsonData} to {@code topic} without a sequence number (subscribers get no {@code seq});
     * completes with the number of gateway nodes that received it.
     */
    public CompletionStage<Long> publishUnsequenced(String topic, String jsonData) {
        byte[] data = jsonData.getBytes(StandardCharsets.UTF_8);
        check(topic, data);
        return connection.async().publish(RedisWire.channel(prefix, topic), BrokerEnvelope.encode(-1, data));
    }

    private static void check(String topic, byte[] jsonData) {
        String violation = Topics.violation(topic, Topics.MAX_LENGTH);
        if (violation != null) {
            throw new IllegalArgumentException("invalid topic: " + violation);
        }
        if (!BrokerEnvelope.isJsonValue(jsonData)) {
            throw new IllegalArgumentException("data must be exactly one JSON value");
        }
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable err) {
        if (err == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(unwrap(err));
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Closes the connection if this publisher opened it. */
    @Override
    public void close() {
        if (ownedClient != null) {
            connection.close();
            ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
