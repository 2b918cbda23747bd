package dev.pushgate.gateway.broker;

import java.util.Set;

/** Receives what a {@link Broker} delivers to this node. Called from broker threads; must never block. */
public interface BrokerListener {

    /**
     * A publication of a topic this node subscribed to. Calls for one topic come in offset order, but offsets may
     * jump (a publication lost between the layer and this node): the hub repairs the gap from history.
     *
     * @param offset the publication's offset, or {@code -1} when it is unsequenced (a plain PUBLISH)
     * @param epoch  the topic's epoch ({@code null} when unsequenced)
     * @param data   the JSON value published (the callee must not modify it)
     */
    void onPublication(String topic, long offset, String epoch, byte[] data);

    /** A subscriber of {@code topic} (on any node) joined; {@code member} is its presence member as JSON. */
    default void onJoin(String topic, byte[] member) {
    }

    /** A subscriber of {@code topic} (on any node) left; {@code member} is its presence member as JSON. */
    default void onLeave(String topic, byte[] member) {
    }

    /**
     * The broker's subscription link dropped (or was found dead by the liveness probe): publications may be missed
     * from now on until {@link #onResubscribed}. The hub starts buffering live publications here.
     */
    default void onLinkDown() {
    }

    /**
     * The broker has subscribed {@code topics} again after {@link #onLinkDown}. Publications made meanwhile did not
     * reach this node; the hub reads them from history ({@link Broker#history}) and delivers them before newer ones.
     */
    default void onResubscribed(Set<String> topics) {
    }
}
