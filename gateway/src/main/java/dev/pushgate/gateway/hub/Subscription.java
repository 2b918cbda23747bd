package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One subscription of one connection to one topic, and everything that is per subscription: its generation, its
 * start (position, recovery) and the filter at the seam between replay and live delivery. It sits in the topic's
 * subscriber lists in place of the connection and passes deliveries on to it.
 *
 * <p>Life: <em>pending</em> from {@link Hub#subscribe} until the broker subscription is active and the start is
 * decided; meanwhile live frames are dropped, or, when the client asked to recover ({@code since}), buffered
 * (bounded) because the history read that decides the replay is in flight. Then {@link #started()} completes with a
 * {@link Start} on the subscriber's loop — the caller writes the ack and the replay in its callback — and the
 * subscription turns <em>live</em>: buffered frames go out, except messages at or below the start position (the
 * replay or the ack already covers them); the same filter applies to the first live frames, which may have been
 * queued before the start. Generations make every subscribe attempt distinct: undoing a failed attempt never touches
 * a newer one of the same topic.
 *
 * <p>Loop-confined: every method but {@link #started()} runs on {@link #eventLoop()}.
 */
public final class Subscription implements Subscriber {
    /** Frames buffered at most while a recovery read is in flight; beyond it the recovery gives up. */
    static final int MAX_BUFFERED = 4096;
    private static final byte[] GAP_PREFIX = "{\"op\":\"gap\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * How a subscription started: the topic's position at the start ({@code null} when the layer gives none), whether
     * it recovered ({@code null} when the client did not ask) and the publications to replay (after the client's
     * position up to {@code position}, in order).
     */
    public record Start(StreamPosition position, Boolean recovered, List<Publication> replay) {
    }

    private record Buffered(ByteBuf frame, ByteBuf wire, long offset) {
    }

    final TopicEntry entry;
    /** Index in the topic's list for this loop ({@link TopicEntry}); -1 when not in it. Loop-confined. */
    int slot = -1;
    private final Subscriber target;
    private final long generation;
    private final byte[] seqPrefix;
    private final CompletableFuture<Start> started = new CompletableFuture<>();
    private ArrayDeque<Buffered> buffer;
    private boolean live;
    private boolean closed;
    private boolean overflowed;
    private long lastDropped = -1;
    /** Messages with an offset up to this are dropped; -1 once a later one went through. */
    private long dropThrough = -1;

    Subscription(TopicEntry entry, Subscriber target, long generation, boolean buffer) {
        this.entry = entry;
        this.target = target;
        this.generation = generation;
        this.seqPrefix = ProtocolCodec.messageSeqPrefix(entry.topic);
        this.buffer = buffer ? new ArrayDeque<>() : null;
    }

    public String topic() {
        return entry.topic;
    }

    /** This attempt's number: rising per hub, so a later subscribe of the same topic has a larger one. */
    public long generation() {
        return generation;
    }

    /**
     * Completes on the subscriber's loop when the subscription starts (write the ack and replay in the callback,
     * synchronously), or fails when the broker refused it; the subscription is then already removed.
     */
    public CompletionStage<Start> started() {
        return started;
    }

    /** Whether the subscription was removed (unsubscribed, failed or its connection closed). */
    public boolean closed() {
        return closed;
    }

    /** Whether frames were buffered beyond {@link #MAX_BUFFERED} (the recovery must give up); the last dropped. */
    long overflowedAt() {
        return overflowed ? lastDropped : -1;
    }

    void start(Start s) {
        dropThrough = s.position() == null ? -1 : s.position().offset();
        started.complete(s);
        live = true;
        ArrayDeque<Buffered> pending = buffer;
        buffer = null;
        if (pending == null || pending.isEmpty()) {
            return;
        }
        boolean wrote = false;
        for (Buffered b : pending) {
            wrote |= closed ? release(b.frame(), b.wire()) : pass(b.frame(), b.wire(), b.offset());
        }
        if (wrote) {
            target.flush();
        }
    }

    void fail(Throwable err) {
        started.completeExceptionally(err);
    }

    /** Removed from the topic: releases what is buffered. */
    void close() {
        closed = true;
        if (buffer != null) {
            for (Buffered b : buffer) {
                release(b.frame(), b.wire());
            }
            buffer = null;
        }
    }

    @Override
    public boolean deliver(ByteBuf frame, ByteBuf wire, String topic, boolean skipWhenSlow) {
        if (closed) {
            return release(frame, wire);
        }
        if (live) {
            return dropThrough < 0 ? target.deliver(frame, wire, topic, skipWhenSlow)
                    : pass(frame, wire, offsetOf(frame));
        }
        if (buffer != null && buffer.size() < MAX_BUFFERED) {
            buffer.addLast(new Buffered(frame, wire, offsetOf(frame)));
        } else {
            if (buffer != null) {
                overflowed = true;
                long offset = offsetOf(frame);
                lastDropped = offset >= 0 ? offset : lastDropped;
            }
            release(frame, wire);
        }
        return false;
    }

    /** Writes a frame unless it is a message the start position already covers. */
    private boolean pass(ByteBuf frame, ByteBuf wire, long offset) {
        if (dropThrough >= 0 && offset >= 0) {
            if (offset <= dropThrough) {
                return release(frame, wire);
            }
            dropThrough = -1;
        } else if (dropThrough >= 0 && startsWith(frame, GAP_PREFIX)) {
            dropThrough = -1; // the stream restarts from the gap's position: what follows is new
        }
        return target.deliver(frame, wire, entry.topic, entry.skipWhenSlow);
    }

    /** The {@code seq} of a sequenced message frame of this topic, or -1 (unsequenced, join, leave, gap). */
    long offsetOf(ByteBuf frame) {
        if (!startsWith(frame, seqPrefix)) {
            return -1;
        }
        int at = frame.readerIndex();
        long v = 0;
        int end = at + frame.readableBytes();
        for (int i = at + seqPrefix.length; i < end; i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                return v;
            }
            v = v * 10 + (b - '0');
        }
        return -1;
    }

    private static boolean startsWith(ByteBuf frame, byte[] prefix) {
        int at = frame.readerIndex();
        if (frame.readableBytes() <= prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean release(ByteBuf frame, ByteBuf wire) {
        frame.release();
        wire.release();
        return false;
    }

    @Override
    public EventLoop eventLoop() {
        return target.eventLoop();
    }

    @Override
    public WireFormat format() {
        return target.format();
    }

    @Override
    public void flush() {
        target.flush();
    }

    @Override
    public boolean flushPending() {
        return target.flushPending();
    }

    @Override
    public void flushPending(boolean pending) {
        target.flushPending(pending);
    }

    @Override
    public String toString() {
        return "Subscription[" + entry.topic + "#" + generation + "]";
    }
}
