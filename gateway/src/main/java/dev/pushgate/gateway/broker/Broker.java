package dev.pushgate.gateway.broker;

import java.util.concurrent.CompletionStage;

/**
 * The channel layer: carries publications between publishers and every node with subscribers, and keeps each
 * topic's position and bounded history ("save to history and publish" is atomic per topic).
 *
 * <p>Subscriptions are per node and per topic: the hub subscribes a topic when its first local subscriber arrives
 * and unsubscribes when the last one leaves, and for any one topic it never calls {@link #subscribe} and
 * {@link #unsubscribe} concurrently. Publications of one topic reach the {@link BrokerListener} in offset order on
 * every node. Implementations never block the caller.
 */
public interface Broker extends AutoCloseable {

    /** Starts the broker; publications of subscribed topics go to {@code listener}. */
    void start(BrokerListener listener);

    /** Subscribes this node to {@code topic}; completes once publications of it will reach the listener. */
    CompletionStage<Void> subscribe(String topic);

    /** Drops this node's subscription to {@code topic}. */
    CompletionStage<Void> unsubscribe(String topic);

    /**
     * Publishes {@code data} (compact JSON) to {@code topic}: assigns the next offset, appends it to the topic's
     * history when {@code history} keeps any, and delivers it, atomically. Completes with the new position, or fails
     * with {@link BrokerUnavailableException} — never a false success.
     */
    CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history);

    /**
     * The publications of {@code topic} after {@code sinceOffset} in epoch {@code epoch} (null: whatever the current
     * epoch is), at most {@code limit}, with the topic's current position. {@code sinceOffset} below 0 asks only for
     * the position. A topic never published has offset 0 and a fresh epoch.
     */
    CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit);

    /**
     * Tells every node's subscribers of {@code topic} that {@code member} (a presence member, compact JSON) joined.
     * Best effort: events are not sequenced, and one lost while the layer is down is not resent.
     */
    CompletionStage<Void> publishJoin(String topic, byte[] member);

    /** Tells every node's subscribers of {@code topic} that {@code member} left; best effort like joins. */
    CompletionStage<Void> publishLeave(String topic, byte[] member);

    /**
     * Whether the layer is fully usable now: publishing, history reads and delivery to this node (drives
     * {@code /readyz}). Publishing does not wait for it; a publish fails by itself when the layer is unreachable.
     */
    boolean isReady();

    /** A short name for logs and metrics: {@code memory} or {@code redis}. */
    String name();

    /** Stops the broker and releases its connections. */
    @Override
    void close();
}
