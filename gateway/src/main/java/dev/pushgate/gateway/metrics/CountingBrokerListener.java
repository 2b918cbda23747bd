package dev.pushgate.gateway.metrics;

import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.publish.PublishSource;

import java.util.Set;

/**
 * Counts each publication that arrives from a shared channel layer (Redis) as a message in with source
 * {@code redis}, then hands everything on to the listener it wraps. Thread-safe if the wrapped one is.
 */
public final class CountingBrokerListener implements BrokerListener {
    private final BrokerListener next;
    private final GatewayMetrics metrics;

    public CountingBrokerListener(BrokerListener next, GatewayMetrics metrics) {
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void onPublication(String topic, long offset, String epoch, byte[] data) {
        metrics.messageIn(PublishSource.REDIS);
        next.onPublication(topic, offset, epoch, data);
    }

    @Override
    public void onJoin(String topic, byte[] member) {
        next.onJoin(topic, member);
    }

    @Override
    public void onLeave(String topic, byte[] member) {
        next.onLeave(topic, member);
    }

    @Override
    public void onLinkDown() {
        next.onLinkDown();
    }

    @Override
    public void onResubscribed(Set<String> topics) {
        next.onResubscribed(topics);
    }
}
