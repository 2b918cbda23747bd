package dev.pushgate.bench.load;

import dev.pushgate.bench.payload.PayloadScanner;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.DeliveryTracker;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.dialect.SessionListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * One subscriber connection: subscribes when the session is ready (or, without a topic, is ready at once; or, on
 * a transport that subscribes by URL, is ready when the server says the subscription started), then
 * for every message scans the payload, classifies it per stream and records its end-to-end latency. Reports ready
 * or failed to its {@link ConnectEvents} exactly once. Touched only on its channel's event loop.
 */
final class Subscriber implements SessionListener {
    private static final long SUBSCRIBE_ID = 1;

    private enum State { CONNECTING, SUBSCRIBING, READY, CLOSED }

    private final SubscriberContext context;
    private final ConnectEvents launcher;
    private final String topic;
    private final int topicIndex;
    private final long startNanos;
    private final PayloadScanner scanner = new PayloadScanner();
    private final DeliveryTracker tracker;
    /** Set for a deliberately slow subscriber: it throttles its reads and counts into the slow readers' stats. */
    private final SlowReaders slow;
    private final DeliveryStats stats;
    private final LatencyRecorder latency;
    private State state = State.CONNECTING;

    /** A subscriber to {@code topic} (number {@code topicIndex}), or an idle connection when {@code topic} is null. */
    Subscriber(SubscriberContext context, ConnectEvents launcher, String topic, int topicIndex) {
        this(context, launcher, topic, topicIndex, null);
    }

    /** As above; a slow reader when {@code slow} is not null. */
    Subscriber(SubscriberContext context, ConnectEvents launcher, String topic, int topicIndex, SlowReaders slow) {
        this.slow = slow;
        this.stats = slow != null ? slow.stats() : context.stats();
        this.latency = slow != null ? slow.latency() : context.latency();
        this.context = context;
        this.launcher = launcher;
        this.topic = topic;
        this.topicIndex = topicIndex;
        this.startNanos = System.nanoTime();
        this.tracker = new DeliveryTracker(context.streams());
    }

    @Override
    public void onReady(Channel channel) {
        if (state != State.CONNECTING) {
            return;
        }
        if (topic == null) {
            ready();
            return;
        }
        state = State.SUBSCRIBING;
        ByteBuf buf = channel.alloc().ioBuffer();
        context.dialect().writeSubscribe(buf, SUBSCRIBE_ID, topic);
        channel.writeAndFlush(new TextWebSocketFrame(buf), channel.voidPromise());
    }

    @Override
    public void onSubscribed(Channel channel) {
        if (state == State.CONNECTING || state == State.SUBSCRIBING) {
            ready();
        }
    }

    @Override
    public void onAck(Channel channel, long id) {
        if (state == State.SUBSCRIBING && id == SUBSCRIBE_ID) {
            if (slow != null) {
                slow.subscribed(channel, topicIndex);
            }
            ready();
        }
    }

    @Override
    public void onMessage(Channel channel, ByteBuf frame) {
        if (!scanner.scan(frame)) {
            stats.countMalformed();
            return;
        }
        stats.delivered(tracker.accept(scanner.stream(), scanner.n()));
        latency.recordMicros(context.clock().nowMicros() - scanner.micros());
    }

    @Override
    public void onError(Channel channel, long id, String code) {
        if (state == State.SUBSCRIBING || state == State.CONNECTING) {
            state = State.CLOSED;
            launcher.failed(code);
            channel.close();
        }
    }

    @Override
    public void onClosed(Channel channel, Throwable cause) {
        State was = state;
        state = State.CLOSED;
        if (was == State.READY) {
            stats.countDisconnect();
        } else if (was != State.CLOSED) {
            launcher.failed(cause);
        }
    }

    private void ready() {
        state = State.READY;
        launcher.ready(topicIndex, System.nanoTime() - startNanos);
    }
}
