package dev.pushgate.protocol;

/**
 * How pushgate's data looks in Redis, for the gateway and for backends that publish directly: channel and key names
 * and the sequencing publish script. The payload of every channel message is a {@link BrokerEnvelope}.
 *
 * <p>With the default prefix {@code pushgate:} the topic {@code news.sports} is the channel
 * {@code pushgate:topic:news.sports} and its sequence counter the key {@code pushgate:seq:news.sports}.
 */
public final class RedisWire {
    /** The default prefix of every key and channel ({@code redis.prefix}). */
    public static final String DEFAULT_PREFIX = "pushgate:";

    /**
     * Seconds a topic's sequence counter lives after its last sequenced publication; a topic idle that long starts
     * again at 1 (subscribers already handle restarts: the in-memory layer restarts a topic without subscribers).
     */
    public static final long SEQUENCE_TTL_SECONDS = 30L * 24 * 3600;

    /**
     * Publishes one sequenced message atomically: increments the topic's counter, publishes
     * {@code {"seq":N,"data":<ARGV[2]>}} on the topic's channel and returns N. {@code KEYS[1]} the counter key,
     * {@code ARGV[1]} the channel (an argument, not a key, so the script also runs where keys must share a cluster
     * slot), {@code ARGV[2]} the data (compact JSON, not checked by the script), {@code ARGV[3]} the counter's time
     * to live in seconds ({@code 0}: no expiry).
     */
    public static final String PUBLISH_SCRIPT = """
            local seq = redis.call('INCR', KEYS[1])
            if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
            redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. ',"data":' .. ARGV[2] .. '}')
            return seq
            """;

    private RedisWire() {
    }

    /** The pub/sub channel of {@code topic}: {@code <prefix>topic:<topic>}. */
    public static String channel(String prefix, String topic) {
        return channelPrefix(prefix) + topic;
    }

    /** What every topic channel starts with: {@code <prefix>topic:}. */
    public static String channelPrefix(String prefix) {
        return prefix + "topic:";
    }

    /** The key of {@code topic}'s sequence counter: {@code <prefix>seq:<topic>}. */
    public static String sequenceKey(String prefix, String topic) {
        return prefix + "seq:" + topic;
    }
}
