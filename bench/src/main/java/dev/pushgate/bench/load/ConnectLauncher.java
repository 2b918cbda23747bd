package dev.pushgate.bench.load;

import dev.pushgate.bench.net.SourceAddresses;
import dev.pushgate.bench.net.SubscriberConnector;
import dev.pushgate.bench.stats.FailureCounts;
import io.netty.channel.Channel;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens {@code count} subscriber connections with at most {@code concurrency} handshakes in flight: it starts that
 * many, and every connection that becomes ready or fails starts the next one (from its event loop), so the caller's
 * thread stays free to report progress. URLs are used round robin; source addresses come from a
 * {@link SourceAddresses} plan. Thread-safe.
 */
public final class ConnectLauncher implements ConnectEvents {
    private final SubscriberConnector connector;
    private final List<URI> urls;
    private final SourceAddresses sources;
    private final SubscriberContext context;
    private final List<String> topics;
    private final boolean subscribe;
    private final int count;
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicReferenceArray<Channel> channels;
    private final AtomicLongArray readyPerTopic;
    private final LongAdder ready = new LongAdder();
    private final FailureCounts failures = new FailureCounts();
    private final Recorder handshakeMicros = new Recorder(3);
    private final CountDownLatch done;
    private final int concurrency;
    private final SlowReaders slow;

    /**
     * A launcher of {@code count} connections; connection {@code i} subscribes to {@code topics[i % size]} when
     * {@code subscribe}, or stays idle.
     */
    public ConnectLauncher(SubscriberConnector connector, List<URI> urls, SourceAddresses sources,
                           SubscriberContext context, List<String> topics, boolean subscribe, int count,
                           int concurrency) {
        this(connector, urls, sources, context, topics, subscribe, count, concurrency, null);
    }

    /**
     * As above, with the connections {@code slow} picks (may be null: none) reading slowly and counted apart:
     * {@link #readyOnTopic} leaves them out.
     */
    public ConnectLauncher(SubscriberConnector connector, List<URI> urls, SourceAddresses sources,
                           SubscriberContext context, List<String> topics, boolean subscribe, int count,
                           int concurrency, SlowReaders slow) {
        this.slow = slow;
        this.connector = connector;
        this.urls = List.copyOf(urls);
        this.sources = sources;
        this.context = context;
        this.topics = List.copyOf(topics);
        this.subscribe = subscribe;
        this.count = count;
        this.concurrency = concurrency;
        this.channels = new AtomicReferenceArray<>(count);
        this.readyPerTopic = new AtomicLongArray(topics.size());
        this.done = new CountDownLatch(count);
    }

    /** Starts the first {@code concurrency} connections and returns. */
    public void start() {
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            launchNext();
        }
    }

    /** Waits until every connection is ready or failed; {@code false} on timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    @Override
    public void ready(int topicIndex, long handshakeNanos) {
        readyPerTopic.incrementAndGet(topicIndex);
        handshakeMicros.recordValue(Math.max(0, handshakeNanos / 1_000));
        ready.increment();
        done.countDown();
        launchNext();
    }

    @Override
    public void failed(Throwable cause) {
        failures.count(cause);
        done.countDown();
        launchNext();
    }

    @Override
    public void failed(String code) {
        failures.count(code);
        done.countDown();
        launchNext();
    }

    private void launchNext() {
        int i = launched.getAndIncrement();
        if (i >= count) {
            return;
        }
        int topicIndex = i % topics.size();
        String topic = subscribe ? topics.get(topicIndex) : null;
        Subscriber subscriber = new Subscriber(context, this, topic, topicIndex,
                slow != null && subscribe && slow.isSlow(i) ? slow : null);
        channels.set(i, connector.connect(urls.get(i % urls.size()), sources.forIndex(i), topic, subscriber)
                .channel());
    }

    public int count() {
        return count;
    }

    /** Connections that became ready (subscribed, or handshaken when idle). */
    public long ready() {
        return ready.sum();
    }

    public FailureCounts failures() {
        return failures;
    }

    /** Ready subscribers per topic index (not counting slow readers). */
    public long readyOnTopic(int topicIndex) {
        return readyPerTopic.get(topicIndex) - (slow != null ? slow.readyOnTopic(topicIndex) : 0);
    }

    /** Handshake-to-ready times in microseconds recorded since the last call. */
    public Histogram handshakeTimes() {
        return handshakeMicros.getIntervalHistogram();
    }

    /** Connections that are still open. */
    public int open() {
        int open = 0;
        for (int i = 0; i < channels.length(); i++) {
            Channel ch = channels.get(i);
            if (ch != null && ch.isActive()) {
                open++;
            }
        }
        return open;
    }

    /** Closes every connection and waits up to {@code timeout} for the closes. */
    public void closeAll(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (int i = 0; i < channels.length(); i++) {
            Channel ch = channels.get(i);
            if (ch != null) {
                ch.close();
            }
        }
        for (int i = 0; i < channels.length(); i++) {
            Channel ch = channels.get(i);
            long left = deadline - System.nanoTime();
            if (ch != null && left > 0) {
                ch.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
            }
        }
    }
}
