package dev.pushgate.gateway.hub;

/**
 * What the fan-out path reports; implemented by the metrics package. Called on event loops; must be cheap. Every
 * method does nothing by default, so a test counts only what it looks at.
 */
public interface FanoutMetrics {

    /**
     * {@code count} frames of {@code bytes} in all handed to subscribers for one publication; {@code latencyNanos}
     * from receipt to write.
     */
    default void delivered(int count, long bytes, long latencyNanos) {
    }

    /** A publication dropped for one loop because its queue was full. */
    default void droppedQueueFull() {
    }

    /** A publication dropped for one loop because queueing it would take the node past its outbound budget. */
    default void droppedNodeBudget() {
    }

    /** A publication dropped for one loop because it waited in the loop's queue past the node's queue delay. */
    default void droppedQueueDelay() {
    }

    /** A publication for a topic with no local subscribers (raced with the last unsubscribe). */
    default void unrouted() {
    }

    /**
     * A delivery failed inside the gateway (an exception while framing a publication, or from one subscriber's
     * write or flush); the fan-out went on with the rest.
     */
    default void fanoutError() {
    }

    /** A hole in a topic's live stream (offset jump, link blip) was filled from history. */
    default void topicRepaired() {
    }

    /** A hole could not be filled: the topic's local subscribers were sent a {@code gap}. */
    default void topicGap() {
    }

    /** Does nothing: for tests. */
    FanoutMetrics NONE = new FanoutMetrics() { };
}
