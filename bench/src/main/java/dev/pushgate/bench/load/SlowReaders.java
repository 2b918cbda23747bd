package dev.pushgate.bench.load;

import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.LatencyRecorder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The deliberately slow subscribers of a run: which connections are slow ({@code fraction} of them, spread evenly
 * over the connection indexes), how fast they read, and their own delivery counters and latency recorder (so the
 * other subscribers' numbers stay theirs). A slow subscriber, once subscribed, stops reading by itself, shrinks its
 * receive buffer and reads one chunk every {@link #TICK_MILLIS}, at most {@code bytesPerSecond} a second: the
 * server sees its socket fill up. Thread-safe.
 */
public final class SlowReaders {
    /** How often a slow subscriber reads a chunk. */
    static final long TICK_MILLIS = 20;
    /** Its socket's receive buffer, small so the server, not the kernel, holds what it has not read. */
    static final int RECEIVE_BUFFER = 16 * 1024;
    private static final int MIN_CHUNK = 64;

    private final double fraction;
    private final long bytesPerSecond;
    private final DeliveryStats stats = new DeliveryStats();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final AtomicLongArray readyPerTopic;

    public SlowReaders(double fraction, long bytesPerSecond, int topics) {
        if (fraction < 0 || fraction >= 1 || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("fraction in [0, 1) and a positive read rate");
        }
        this.fraction = fraction;
        this.bytesPerSecond = bytesPerSecond;
        this.readyPerTopic = new AtomicLongArray(topics);
    }

    /** Whether connection {@code index} is one of the slow ones. */
    public boolean isSlow(int index) {
        return Math.floor((index + 1) * fraction) > Math.floor(index * fraction);
    }

    /** The slow subscribers' delivery counters. */
    public DeliveryStats stats() {
        return stats;
    }

    /** The slow subscribers' end-to-end latency. */
    public LatencyRecorder latency() {
        return latency;
    }

    /** Bytes a second one slow subscriber reads at most. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Slow subscribers that subscribed to topic {@code topicIndex}. */
    public long readyOnTopic(int topicIndex) {
        return readyPerTopic.get(topicIndex);
    }

    /** Slow subscribers that subscribed, over all topics. */
    public long ready() {
        long n = 0;
        for (int i = 0; i < readyPerTopic.length(); i++) {
            n += readyPerTopic.get(i);
        }
        return n;
    }

    /** A slow subscriber of {@code topicIndex} subscribed on {@code channel} (its event loop): throttle it. */
    void subscribed(Channel channel, int topicIndex) {
        readyPerTopic.incrementAndGet(topicIndex);
        int chunk = (int) Math.max(MIN_CHUNK, bytesPerSecond * TICK_MILLIS / 1000);
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(chunk).maxMessagesPerRead(1));
        // The decoders ask for more (read()) whenever a chunk ends inside a frame: one read per tick, whoever asks.
        channel.pipeline().addFirst(new ReadThrottle());
        ScheduledFuture<?> reads = channel.eventLoop().scheduleAtFixedRate(channel::read, TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> reads.cancel(false));
    }

    /** Lets at most one read through per {@link #TICK_MILLIS}; a read asked for sooner is dropped (the tick reads). */
    private static final class ReadThrottle extends ChannelOutboundHandlerAdapter {
        private long nextNanos;

        @Override
        public void read(ChannelHandlerContext ctx) {
            long now = System.nanoTime();
            if (now - nextNanos >= 0) {
                nextNanos = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS) * 9 / 10;
                ctx.read();
            }
        }
    }
}
