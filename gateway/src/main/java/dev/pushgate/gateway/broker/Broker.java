package dev.pushgate.gateway.broker;

import java.util.concurrent.CompletionStage;

/**
 * The channel layer: carries publications between publishers and every node with subscribers.
 *
 * <p>Subscriptions are per node and per topic: the hub subscribes a topic when its first local subscriber arrives
 * and unsubscribes when the last one leaves, and for any one topic it never calls {@link #subscribe} and
 * {@link #unsubscribe} concurrently (calls for one topic arrive in the order the hub made them). Publications of one
 * topic reach the {@link BrokerListener} in one order on every node. Implementations never block the caller.
 */
public interface Broker extends AutoCloseable {

    /** Starts the broker; publications of subscribed topics go to {@code listener}. */
    void start(BrokerListener listener);

    /** Subscribes this node to {@code topic}; completes once publications of it will reach the listener. */
    CompletionStage<Void> subscribe(String topic);

    /** Drops this node's subscription to {@code topic}. */
    CompletionStage<Void> unsubscribe(String topic);

    /**
     * Publishes {@code data} (compact JSON) to {@code topic}. Completes with the topic sequence number assigned
     * ({@code -1} when the layer assigns none), or fails with {@link BrokerUnavailableException} — never a false
     * success.
     */
    CompletionStage<Long> publish(String topic, byte[] data);

    /**
     * Tells every node's subscribers of {@code topic} that {@code member} (a presence member, compact JSON) joined.
     * Best effort: events are not sequenced, and one lost while the layer is down is not resent.
     */
    CompletionStage<Void> publishJoin(String topic, byte[] member);

    /** Tells every node's subscribers of {@code topic} that {@code member} left; best effort like joins. */
    CompletionStage<Void> publishLeave(String topic, byte[] member);

    /** Whether publishes and subscriptions can succeed now (drives {@code /readyz}). */
    boolean isReady();

    /** A short name for logs and metrics: {@code memory} or {@code redis}. */
    String name();

    /** Stops the broker and releases its connections. */
    @Override
    void close();
}
