package dev.pushgate.gateway.broker.redis;

/** What the Redis layer reports; implemented by the metrics package. Thread-safe, never blocks. */
public interface RedisMetrics {
    /** Reports nothing (for tools and tests that do not look). */
    RedisMetrics NONE = new RedisMetrics() {
        @Override
        public void outage() {
        }

        @Override
        public void resubscribed(int topics, long nanos) {
        }

        @Override
        public void command(long nanos) {
        }

        @Override
        public void malformed() {
        }

        @Override
        public void probeFailed() {
        }
    };

    /** The layer became unusable (a connection to Redis was lost). */
    void outage();

    /** After a reconnect, {@code topics} were subscribed again, {@code nanos} after the connection returned. */
    void resubscribed(int topics, long nanos);

    /** A publish command was answered after {@code nanos}. */
    void command(long nanos);

    /** A channel message that is not a valid envelope was dropped. */
    void malformed();

    /** A pub/sub liveness probe did not come back in time: the link is treated as broken and reconnected. */
    void probeFailed();
}
