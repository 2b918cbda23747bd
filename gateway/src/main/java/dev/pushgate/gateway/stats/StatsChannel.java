package dev.pushgate.gateway.stats;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.policy.NamespacePolicies;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The channel layer as the hub sees it, with this node subscribed to {@link #TOPIC} for its whole life: the stats
 * of every node arrive here and go to {@link ClusterStats} before they go on to the hub (which fans them out to
 * {@code /admin} pages). The hub's own subscribe of the topic is passed on (it completes once the subscription is
 * active); its unsubscribe is not, so the last admin page leaving does not cut this node off. Everything else is
 * delegated unchanged. Thread-safe.
 */
public final class StatsChannel implements Broker, BrokerListener {
    /** The internal topic every node publishes its stats to. */
    public static final String TOPIC = NamespacePolicies.INTERNAL_NAMESPACE + ".stats";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Broker layer;
    private final ClusterStats cluster;
    private volatile BrokerListener next;

    public StatsChannel(Broker layer, ClusterStats cluster) {
        this.layer = layer;
        this.cluster = cluster;
    }

    /** Starts the layer with this as its listener, hands on to {@code listener}, and subscribes the stats topic. */
    @Override
    public void start(BrokerListener listener) {
        this.next = listener;
        layer.start(this);
        // On Redis a subscription that fails now stays wanted and is made once the connection is back.
        layer.subscribe(TOPIC);
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        return layer.subscribe(topic);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String topic) {
        return TOPIC.equals(topic) ? DONE : layer.unsubscribe(topic);
    }

    @Override
    public CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history) {
        return layer.publish(topic, data, history);
    }

    @Override
    public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        return layer.history(topic, sinceOffset, epoch, limit);
    }

    @Override
    public CompletionStage<Void> publishJoin(String topic, byte[] member) {
        return layer.publishJoin(topic, member);
    }

    @Override
    public CompletionStage<Void> publishLeave(String topic, byte[] member) {
        return layer.publishLeave(topic, member);
    }

    @Override
    public boolean isReady() {
        return layer.isReady();
    }

    @Override
    public String name() {
        return layer.name();
    }

    @Override
    public void close() {
        layer.close();
    }

    @Override
    public void onPublication(String topic, long offset, String epoch, byte[] data) {
        if (TOPIC.equals(topic)) {
            cluster.accept(data);
        }
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
