package dev.pushgate.gateway.broker;

/** Receives what a {@link Broker} delivers to this node. Called from broker threads; must never block. */
public interface BrokerListener {

    /**
     * A publication of a topic this node subscribed to. Calls for one topic come in publication order.
     *
     * @param seq  the topic sequence number, or {@code -1} when the publisher assigned none
     * @param data the JSON value published (the callee must not modify it)
     */
    void onPublication(String topic, long seq, byte[] data);
}
