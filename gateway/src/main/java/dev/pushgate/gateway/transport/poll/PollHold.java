package dev.pushgate.gateway.transport.poll;

import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.hub.Subscription;
import dev.pushgate.gateway.session.SessionServices;
import dev.pushgate.gateway.session.Transport;
import dev.pushgate.gateway.transport.HandlerNames;
import dev.pushgate.gateway.transport.fallback.Positions;
import dev.pushgate.gateway.transport.fallback.SubscribeRequest;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.GenericFutureListener;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One poll: subscribes the request's topics through the hub (with the client's positions, so the hub's recovery
 * decides what is newer with no race against live traffic), and answers once: at once without {@code since}, or
 * when the starts brought a replay or a {@code gap}; else at the end of the first fan-out batch that brings
 * something, or at the timeout with no messages and the same token. Then it leaves every topic. The frames are the
 * message JSON the fan-out encoded once (the prepared wire bytes are not used). Loop-confined.
 */
final class PollHold implements Subscriber, Transport {
    private final HttpExchange ex;
    private final SessionServices services;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final List<byte[]> messages = new ArrayList<>();
    private SubscribeRequest req;
    private Positions positions;
    private Runnable releaseSlot;
    private Future<?> timer;
    private GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> onClose;
    private int pendingStarts;
    private boolean flushPending;
    private boolean done;

    PollHold(HttpExchange ex, SessionServices services) {
        this.ex = ex;
        this.services = services;
    }

    void start(SubscribeRequest req, Duration timeout, Runnable releaseSlot) {
        this.req = req;
        this.releaseSlot = releaseSlot;
        this.positions = new Positions(req.topics(), req.since());
        onClose = f -> {
            finish();
            ex.abandon(); // nobody to answer: the request is released here
        };
        ex.context().channel().closeFuture().addListener(onClose);
        if (done) {
            return; // the client was gone already (the listener ran at once)
        }
        watchForHangUp();
        timer = ex.context().executor().schedule(this::answer, timeout.toNanos(), TimeUnit.NANOSECONDS);
        pendingStarts = req.topics().size();
        for (String topic : req.topics()) {
            Subscription sub = services.hub().subscribe(topic, this, req.since().get(topic));
            subscriptions.put(topic, sub);
            sub.started().whenComplete((s, err) -> started(topic, s, err));
        }
    }

    /**
     * Auto-read is off while a request is in flight (the HTTP flow control), so with NIO a client that goes away
     * would go unnoticed, holding its slot, until the hold ends. One read asked for below the flow control sees its
     * end of stream (the channel closes, {@code onClose} frees the slot); bytes it brings wait in the flow control's
     * gate as any pipelined request does. A client that sends more before it leaves is noticed at the answer.
     */
    private void watchForHangUp() {
        ChannelHandlerContext flow = ex.context().pipeline().context(HandlerNames.HTTP_FLOW);
        if (flow != null) {
            flow.read();
        }
    }

    private void started(String topic, Subscription.Start start, Throwable err) {
        if (done) {
            return;
        }
        if (err != null) {
            finish();
            ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, "subscription failed, try again");
            return;
        }
        StreamPosition p = start.position();
        boolean asked = req.since().get(topic) != null;
        if (asked && Boolean.FALSE.equals(start.recovered()) && p != null) {
            positions.set(topic, p);
            messages.add(ProtocolCodec.gap(topic, p.epoch(), p.offset()));
        } else if (!asked) {
            positions.set(topic, p);
        }
        for (Publication pub : start.replay()) {
            positions.set(topic, new StreamPosition(pub.offset(), p.epoch()));
            messages.add(ProtocolCodec.message(topic, pub.offset(), pub.data()));
        }
        if (start.recovered() != null) {
            services.metrics().recovery(start.recovered(), start.replay().size());
        }
        if (--pendingStarts == 0 && (!req.resuming() || !messages.isEmpty())) {
            answer();
        }
    }

    @Override
    public boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        wire.release();
        try {
            if (done) {
                return false;
            }
            positions.observe(topic, frame);
            messages.add(ByteBufUtil.getBytes(frame));
            return true;
        } finally {
            frame.release();
        }
    }

    /** The end of a fan-out batch: answer with what it brought (once every topic started). */
    @Override
    public void flush() {
        if (!done && pendingStarts == 0 && !messages.isEmpty()) {
            answer();
        }
    }

    private void answer() {
        if (done) {
            return;
        }
        finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + messages.size() * 64);
        out.writeBytes("{\"messages\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(messages.get(i));
        }
        out.writeBytes(("],\"since\":\"" + positions.token() + "\"}").getBytes(StandardCharsets.US_ASCII));
        messages.clear();
        ex.json(HttpResponseStatus.OK, out.toByteArray());
    }

    /** Leaves every topic, stops the timer and frees the slot; idempotent. */
    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (onClose != null) {
            ex.context().channel().closeFuture().removeListener(onClose);
        }
        for (Subscription sub : subscriptions.values()) {
            services.hub().unsubscribe(sub);
        }
        subscriptions.clear();
        if (req != null) {
            req.auth().closed();
        }
        if (releaseSlot != null) {
            releaseSlot.run();
            releaseSlot = null;
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
        return ex.context().channel().eventLoop();
    }

    /** Control frames of the auth (an {@code expiring} warning) have no place in a poll answer: dropped. */
    @Override
    public void send(byte[] frame) {
    }

    /** The token expired while held: the poll is answered 401. */
    @Override
    public void close(CloseCode code) {
        if (!done) {
            finish();
            ex.error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "token expired");
        }
    }

    @Override
    public Executor executor() {
        return ex.context().executor();
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return ex.context().executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
