package dev.pushgate.gateway.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded single-node channel layer and the reference implementation of {@link Broker}.
 *
 * <p>Per topic, assigning the sequence number and handing the publication to the listener happen under the topic's
 * own monitor, so concurrent publishers of one topic are delivered in sequence order; the listener only encodes and
 * enqueues, so the monitor is held for microseconds. A topic's counter lives while this node has subscribers to it;
 * when the last one leaves it is dropped and the sequence starts again at 1.
 */
public final class InMemoryBroker implements Broker {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final String EPOCH = "mem";

    private final ConcurrentHashMap<String, TopicState> topics = new ConcurrentHashMap<>();
    private volatile BrokerListener listener;

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        topics.computeIfAbsent(topic, t -> new TopicState());
        return DONE;
    }

    @Override
    public CompletionStage<Void> unsubscribe(String topic) {
        topics.remove(topic);
        return DONE;
    }

    @Override
    public CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history) {
        TopicState state = topics.get(topic);
        if (state == null) {
            return CompletableFuture.completedFuture(new StreamPosition(-1, EPOCH));
        }
        long seq;
        synchronized (state) {
            seq = ++state.seq;
            listener.onPublication(topic, seq, EPOCH, data);
        }
        return CompletableFuture.completedFuture(new StreamPosition(seq, EPOCH));
    }

    @Override
    public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        return CompletableFuture.completedFuture(new HistoryResult(new StreamPosition(0, EPOCH), List.of(), false));
    }

    @Override
    public CompletionStage<Void> publishJoin(String topic, byte[] member) {
        return event(topic, member, true);
    }

    @Override
    public CompletionStage<Void> publishLeave(String topic, byte[] member) {
        return event(topic, member, false);
    }

    /** Delivers a presence event under the topic's monitor, so it is ordered with the topic's publications. */
    private CompletionStage<Void> event(String topic, byte[] member, boolean join) {
        TopicState state = topics.get(topic);
        if (state != null) {
            synchronized (state) {
                if (join) {
                    listener.onJoin(topic, member);
                } else {
                    listener.onLeave(topic, member);
                }
            }
        }
        return DONE;
    }

    @Override
    public boolean isReady() {
        return listener != null;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void close() {
        topics.clear();
    }

    private static final class TopicState {
        long seq;
    }
}
