package dev.pushgate.bench.load;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes straight into Redis, as a backend would: {@code PUBLISH <prefix><topic> {"data":<payload>}} on its own
 * lettuce connection, pipelined (auto-flush off, one flush per tick) with at most {@link #MAX_IN_FLIGHT} commands
 * unanswered. A completed {@code PUBLISH} counts as accepted. The timer runs on a bench event loop; completions
 * arrive on lettuce's threads and touch only thread-safe counters.
 */
final class RedisPublisher implements Publisher {
    private static final Logger log = LoggerFactory.getLogger(RedisPublisher.class);
    private static final int MAX_IN_FLIGHT = 10_000;
    private static final byte[] ENVELOPE_HEAD = "{\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final RedisClient client;
    private final RedisURI uri;
    private final EventLoop loop;
    private final PublishContext context;
    private final int stream;
    private final byte[][] channels;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicBoolean noReceiversLogged = new AtomicBoolean();
    private final ByteBuf scratch = Unpooled.buffer(256);
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisAsyncCommands<byte[], byte[]> commands;
    private PublishPacer pacer;
    private ScheduledFuture<?> timer;
    private long nextN;
    private volatile boolean finished;

    /** A publisher on {@code client} to {@code uri}, channels {@code prefix + topic}, paced on {@code loop}. */
    RedisPublisher(RedisClient client, RedisURI uri, String prefix, EventLoop loop, PublishContext context,
                   int stream) {
        this.client = client;
        this.uri = uri;
        this.loop = loop;
        this.context = context;
        this.stream = stream;
        this.channels = new byte[context.topics().size()][];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = (prefix + context.topics().get(i)).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenAccept(c -> {
            c.setAutoFlushCommands(false);
            connection = c;
            commands = c.async();
        });
    }

    @Override
    public void start(PublishPacer newPacer) {
        finished = false;
        loop.execute(() -> {
            pacer = newPacer;
            if (timer == null) {
                timer = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void stop() {
        loop.execute(() -> {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        });
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        loop.execute(scratch::release);
    }

    private void tick() {
        if (!connection.isOpen()) {
            finished = true;
            return;
        }
        long due = Math.min(pacer.due(System.nanoTime()), MAX_IN_FLIGHT - inFlight.get());
        long first = pacer.issued();
        for (int i = 0; i < due; i++) {
            long n = nextN++;
            int topic = context.topicOf(n);
            scratch.clear().writeBytes(ENVELOPE_HEAD);
            context.payload().write(scratch, n, stream, context.clock().toEpochMicros(pacer.intendedNanos(first + i)));
            scratch.writeByte('}');
            inFlight.incrementAndGet();
            commands.publish(channels[topic], ByteBufUtil.getBytes(scratch)).whenComplete((receivers, error) -> {
                inFlight.decrementAndGet();
                if (error != null) {
                    context.stats().failed(1);
                } else {
                    context.stats().accepted(topic);
                    if (receivers == 0 && noReceiversLogged.compareAndSet(false, true)) {
                        log.warn("redis publish reached no subscriber: channel={} (is the gateway on the redis layer?)",
                                new String(channels[topic], StandardCharsets.UTF_8));
                    }
                }
            });
        }
        if (due > 0) {
            pacer.issued(due);
            context.stats().sent((int) due);
            connection.flushCommands();
        }
        if (pacer.finished()) {
            finished = true;
        }
    }
}
