package dev.pushgate.protocol;

/**
 * How pushgate's data looks in Redis, for the gateway and for backends that publish directly: channel and key names
 * and the two scripts (publish, read history). The payload of every channel message is a {@link BrokerEnvelope}.
 *
 * <p>Layout {@value #LAYOUT}: per topic a hash {@code <prefix>v2:{<topic>}:meta} (fields {@code epoch} and
 * {@code offset}) and a stream {@code <prefix>v2:{<topic>}:stream} (entry id {@code <offset>-0}, one field {@code d}
 * with the JSON data). Both keys carry the topic as their hash tag, so each script touches one cluster slot; topics
 * cannot contain {@code {}} or {@code }} ({@link Topics}), so the tag is always exactly the topic. The channel is
 * {@code <prefix>topic:<topic>} as in layout v1 (channels are not keys). With the default prefix {@code pushgate:}
 * the topic {@code news.sports} has the channel {@code pushgate:topic:news.sports}, the meta hash
 * {@code pushgate:v2:{news.sports}:meta} and the stream {@code pushgate:v2:{news.sports}:stream}.
 */
public final class RedisWire {
    /** The default prefix of every key and channel ({@code redis.prefix}). */
    public static final String DEFAULT_PREFIX = "pushgate:";

    /** The key layout version, part of every key name. Layout v1 had {@code <prefix>seq:<topic>} counters. */
    public static final String LAYOUT = "v2";

    /**
     * Milliseconds a topic's meta hash (epoch and offset) lives after its last publication, at least: the script
     * uses the longer of this and the history's time to live. A topic idle that long starts a new epoch at offset 1.
     */
    public static final long META_TTL_MILLIS = 30L * 24 * 3600 * 1000;

    /**
     * Lua shared by both scripts (after they set {@code meta_ttl}): reads the topic's epoch, creating it (with
     * offset 0 and the meta's expiry) when the meta hash is missing. A new epoch also deletes the stream: history of
     * an earlier epoch is never replayed.
     */
    private static final String ENSURE_EPOCH = """
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              local t = redis.call('TIME')
              epoch = string.format('%x%05x', tonumber(t[1]), tonumber(t[2]))
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
              if tonumber(meta_ttl) > 0 then redis.call('PEXPIRE', KEYS[1], meta_ttl) end
              redis.call('DEL', KEYS[2])
            end
            """;

    /**
     * Publishes one message atomically: assigns the topic's next offset (creating the epoch if the topic has none),
     * appends it to the stream when history is on, publishes {@code {"seq":N,"epoch":"E","data":<ARGV[2]>}} on the
     * topic's channel and returns {@code [N, E]}.
     *
     * <p>{@code KEYS[1]} the meta hash ({@link #metaKey}), {@code KEYS[2]} the stream ({@link #streamKey}).
     * {@code ARGV[1]} the channel ({@link #channel}; an argument, not a key), {@code ARGV[2]} the data (compact JSON,
     * not checked by the script), {@code ARGV[3]} the history size (entries kept, {@code 0}: no history),
     * {@code ARGV[4]} the history's time to live in milliseconds (the stream expires that long after the last
     * publication; {@code 0}: no history), {@code ARGV[5]} the meta hash's time to live in milliseconds
     * ({@link #META_TTL_MILLIS}; the script never uses less than {@code ARGV[4]}; {@code 0}: no expiry).
     */
    public static final String PUBLISH_SCRIPT = "local meta_ttl = ARGV[5]\n" + ENSURE_EPOCH + """
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local size = tonumber(ARGV[3])
            local ttl = tonumber(ARGV[4])
            local id = string.format('%d', offset)
            if size > 0 and ttl > 0 then
              redis.call('XADD', KEYS[2], 'MAXLEN', size, id .. '-0', 'd', ARGV[2])
              redis.call('PEXPIRE', KEYS[2], ttl)
            end
            if tonumber(meta_ttl) > 0 then redis.call('PEXPIRE', KEYS[1], math.max(tonumber(meta_ttl), ttl)) end
            redis.call('PUBLISH', ARGV[1], '{"seq":' .. id .. ',"epoch":"' .. epoch .. '","data":' .. ARGV[2] .. '}')
            return {offset, epoch}
            """;

    /**
     * Reads a topic's position and history in one step: returns {@code [E, N, id1, data1, id2, data2, ...]} with
     * the epoch {@code E}, the current offset {@code N} and at most {@code ARGV[2]} stream entries from offset
     * {@code ARGV[1] + 1} on (ids {@code <offset>-0}). A topic without meta hash gets a new epoch at offset 0, so the
     * position a subscriber is told before the first publication stays valid. Same {@code KEYS} as
     * {@link #PUBLISH_SCRIPT}; {@code ARGV[1]} the offset already seen ({@code -1}: position only), {@code ARGV[2]}
     * the limit, {@code ARGV[3]} the meta hash's time to live in milliseconds if this creates it.
     */
    public static final String HISTORY_SCRIPT = "local meta_ttl = ARGV[3]\n" + ENSURE_EPOCH + """
            local offset = tonumber(redis.call('HGET', KEYS[1], 'offset'))
            local since = tonumber(ARGV[1])
            local limit = tonumber(ARGV[2])
            local out = {epoch, offset}
            if since >= 0 and since < offset and limit > 0 then
              local from = string.format('%d', since + 1) .. '-0'
              local entries = redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', limit)
              for i = 1, #entries do
                out[#out + 1] = entries[i][1]
                out[#out + 1] = entries[i][2][2]
              end
            end
            return out
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

    /** The hash with {@code topic}'s epoch and offset: {@code <prefix>v2:{<topic>}:meta}. */
    public static String metaKey(String prefix, String topic) {
        return prefix + LAYOUT + ":{" + topic + "}:meta";
    }

    /** The stream with {@code topic}'s history: {@code <prefix>v2:{<topic>}:stream}. */
    public static String streamKey(String prefix, String topic) {
        return prefix + LAYOUT + ":{" + topic + "}:stream";
    }

    /**
     * A node's liveness probe channel: {@code <prefix>probe:<id>} (outside the topic channels, so no subscriber
     * ever sees a probe).
     */
    public static String probeChannel(String prefix, String id) {
        return prefix + "probe:" + id;
    }

    /** The offset in a stream entry id {@code <offset>-0}, or {@code -1} when the id is not one. */
    public static long offsetOfEntryId(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || !id.startsWith("-0", dash) || dash + 2 != id.length()) {
            return -1;
        }
        try {
            return Long.parseLong(id, 0, dash, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
