package dev.pushgate.gateway.transport.sse;

import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.hub.SseEvents;
import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.hub.Subscription;
import dev.pushgate.gateway.hub.WireFormat;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.session.SlowConsumerPolicy;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.gateway.transport.fallback.Positions;
import dev.pushgate.gateway.transport.fallback.SubscribeRequest;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One SSE stream: the hub's subscriber for the request's topics and the transport its {@code SessionAuth} warns
 * and closes through. Every event's {@code data:} is a frame a WebSocket client would get; events that move a
 * position carry {@code id:} with the stream's whole {@link Positions} token, written as a small per-stream buffer
 * in front of the shared {@code data:} bytes the fan-out prepared once per loop ({@link WireFormat#SSE}).
 *
 * <p>Start, per topic as its subscription starts: a {@code gap} event when the client asked to resume and the
 * history could not recover it, then the subscribe {@code ack} (as on WebSocket), then the replayed messages.
 *
 * <p>Slow consumers: the shared {@link SlowConsumerPolicy} with {@link SlowConsumerPolicy.WhenBehind#END}. SSE
 * cannot skip a message and go on (the client's {@code id:} would jump it), so a stream that is behind (over its
 * outbound budget even after flushing what the batch wrote so far, or refused by the node budget) is ended at once
 * and counted; the browser reconnects with its last {@code id:} and recovers the rest from history. Its hub
 * subscriptions are removed in a later task (never inside the fan-out's loop). Loop-confined.
 *
 * <p>Presence: a stream with an authenticated user is a member of each of its topics whose namespace tracks
 * presence, as a WebSocket session is (client id {@code s-...}), from its start (before the ack) to its end. An
 * anonymous stream is not: a browser's reconnects would each join and leave under a new id.
 */
final class SseStream implements Subscriber, Transport {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChannelHandlerContext ctx;
    private final SessionServices services;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** The presence client id (authenticated streams), and the topics it joined. */
    private final String id = "s-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private final List<String> present = new ArrayList<>(1);
    private SubscribeRequest req;
    private Positions positions;
    private SlowConsumerPolicy slow;
    private Runnable releaseSlot;
    private Future<?> heartbeat;
    private boolean flushPending;
    private boolean closed;

    SseStream(ChannelHandlerContext ctx, SessionServices services) {
        this.ctx = ctx;
        this.services = services;
    }

    /** Writes the response head and the {@code retry:} line, then subscribes every topic. */
    void start(SubscribeRequest req, OutboundBudget budget, Duration retry, Duration heartbeatEvery,
               Runnable releaseSlot, Consumer<ChannelHandlerContext> streaming) {
        this.req = req;
        this.releaseSlot = releaseSlot;
        this.positions = new Positions(req.topics(), req.since());
        Channel ch = ctx.channel();
        this.slow = new SlowConsumerPolicy(new Socket(), String.valueOf(ch.remoteAddress()), services.metrics(),
                SlowConsumerPolicy.WhenBehind.END, Duration.ZERO, budget.loop(ch.eventLoop()));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Accel-Buffering", "no")
                .set("X-Content-Type-Options", "nosniff");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        streaming.accept(ctx);
        ch.closeFuture().addListener(f -> closed());
        write(Unpooled.copiedBuffer("retry: " + retry.toMillis() + "\n\n", StandardCharsets.US_ASCII));
        ctx.flush();
        if (!ch.isActive()) {
            closed();
            return;
        }
        long every = heartbeatEvery.toNanos();
        heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.NANOSECONDS);
        for (String topic : req.topics()) {
            Subscription sub = services.hub().subscribe(topic, this, req.since().get(topic));
            subscriptions.put(topic, sub);
            sub.started().whenComplete((start, err) -> started(topic, start, err));
        }
    }

    private void started(String topic, Subscription.Start start, Throwable err) {
        if (closed) {
            return;
        }
        if (err != null) {
            event(ProtocolCodec.error(null, ErrorCode.UNAVAILABLE, "subscription failed, try again"), false);
            close(CloseCode.GOING_AWAY);
            return;
        }
        String user = req.auth().user();
        if (user != null) {
            services.presence().joined(topic, id, user); // a member by the time the ack arrives, as on WebSocket
            present.add(topic);
        }
        boolean asked = req.since().get(topic) != null;
        StreamPosition p = start.position();
        if (asked && Boolean.FALSE.equals(start.recovered()) && p != null) {
            positions.set(topic, p);
            event(ProtocolCodec.gap(topic, p.epoch(), p.offset()), true);
        } else if (!asked) {
            positions.set(topic, p);
        }
        event(ProtocolCodec.subscribeAck(null, topic, p == null ? null : p.epoch(), p == null ? 0 : p.offset(),
                start.recovered()), true);
        for (Publication pub : start.replay()) {
            positions.set(topic, new StreamPosition(pub.offset(), p.epoch()));
            event(ProtocolCodec.message(topic, pub.offset(), pub.data()), true);
        }
        if (start.recovered() != null) {
            services.metrics().recovery(start.recovered(), start.replay().size());
        }
        flush();
    }

    /** Writes one event (not flushed) with the current position token when {@code withId}. */
    private void event(byte[] json, boolean withId) {
        ByteBuf data = SseEvents.encode(ctx.alloc(), Unpooled.wrappedBuffer(json));
        write(withId ? Unpooled.wrappedBuffer(idLine(), data) : data);
    }

    private ByteBuf idLine() {
        return Unpooled.copiedBuffer("id: " + positions.token() + "\n", StandardCharsets.US_ASCII);
    }

    private void write(ByteBuf content) {
        ctx.write(new DefaultHttpContent(content), ctx.voidPromise());
    }

    private void heartbeat() {
        if (!closed && ctx.channel().isWritable()) {
            write(Unpooled.wrappedBuffer(HEARTBEAT));
            flush();
        }
    }

    @Override
    public WireFormat format() {
        return WireFormat.SSE;
    }

    @Override
    public boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        if (closed || !ctx.channel().isActive()) {
            frame.release();
            wire.release();
            return false;
        }
        if (!slow.admit(topic, skipWhenSlow)) {
            frame.release();
            wire.release();
            return false;
        }
        boolean moved;
        try {
            moved = positions.observe(topic, frame);
        } finally {
            frame.release();
        }
        write(moved ? Unpooled.wrappedBuffer(idLine(), wire) : wire);
        return true;
    }

    @Override
    public void flush() {
        ctx.flush();
        if (slow != null) {
            slow.account().update();
        }
    }

    @Override
    public boolean flushPending() {
        return flushPending;
    }

    @Override
    public void flushPending(boolean pending) {
        flushPending = pending;
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** An {@code expiring} warning or another control frame from the session's auth: an event without id. */
    @Override
    public void send(byte[] frame) {
        if (!closed && req != null) {
            event(frame, false);
            flush();
        }
    }

    /** Ends the stream (token expired, subscription failed); the client may reconnect with its last id. */
    @Override
    public void close(CloseCode code) {
        if (closed) {
            return;
        }
        log.debug("ending sse stream: remote={} code={}", ctx.channel().remoteAddress(), code.code());
        closed();
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Leaves every topic and frees the slot; idempotent. */
    private void closed() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        // Not now: this may run inside the fan-out's loop over the topic's subscribers (a slow stream closed from
        // deliver, whose close future notifies at once), which the removal would reorder under it.
        List<Subscription> leaving = List.copyOf(subscriptions.values());
        subscriptions.clear();
        List<String> members = List.copyOf(present);
        present.clear();
        String user = req == null ? null : req.auth().user();
        Runnable leave = () -> {
            leaving.forEach(services.hub()::unsubscribe);
            members.forEach(topic -> services.presence().left(topic, id, user));
        };
        try {
            ctx.executor().execute(leave);
        } catch (RejectedExecutionException e) {
            leave.run(); // the loop is shutting down: nothing is delivering any more
        }
        if (req != null) {
            req.auth().closed();
        }
        if (slow != null) {
            slow.closed();
        }
        if (releaseSlot != null) {
            releaseSlot.run();
            releaseSlot = null;
        }
    }

    /** What the slow-consumer policy needs of this stream. */
    private final class Socket implements SlowConsumerPolicy.Socket {
        @Override
        public boolean open() {
            return !closed && ctx.channel().isActive();
        }

        @Override
        public boolean writable() {
            return ctx.channel().isWritable();
        }

        @Override
        public long pendingBytes() {
            var out = ctx.channel().unsafe().outboundBuffer();
            return out == null ? 0 : out.totalPendingWriteBytes();
        }

        /** Unused: a stream never skips ({@link SlowConsumerPolicy.WhenBehind#END}); an event without id. */
        @Override
        public void writeNotice(byte[] frame) {
            event(frame, false);
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        /** Ends the stream at once: the socket is stuck, so no last chunk is queued behind the backlog. */
        @Override
        public void fail(CloseCode code) {
            closed();
            ctx.close();
        }

        @Override
        public void schedule(Runnable task, Duration delay) {
            SseStream.this.schedule(task, delay);
        }
    }
}
