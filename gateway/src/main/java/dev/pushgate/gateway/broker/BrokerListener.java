package dev.pushgate.gateway.broker;

import java.util.Set;

/** Receives what a {@link Broker} delivers to this node. Called from broker threads; must never block. */
public interface BrokerListener {

    /**
     * A publication of a topic this node subscribed to. Calls for one topic come in publication order.
     *
     * @param seq  the topic sequence number, or {@code -1} when the publisher assigned none
     * @param data the JSON value published (the callee must not modify it)
     */
    void onPublication(String topic, long seq, byte[] data);

    /** A subscriber of {@code topic} (on any node) joined; {@code member} is its presence member as JSON. */
    default void onJoin(String topic, byte[] member) {
    }

    /** A subscriber of {@code topic} (on any node) left; {@code member} is its presence member as JSON. */
    default void onLeave(String topic, byte[] member) {
    }

    /**
     * The broker lost its connection and has subscribed {@code topics} again. Publications made while it was
     * disconnected were not delivered to this node and are not recovered; this is the hook where a history layer
     * would catch up from the last sequence number each topic saw.
     */
    default void onResubscribed(Set<String> topics) {
    }
}
