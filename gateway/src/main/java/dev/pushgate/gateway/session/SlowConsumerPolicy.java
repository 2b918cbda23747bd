package dev.pushgate.gateway.session;

import dev.pushgate.gateway.hub.LoopBudget;
import dev.pushgate.gateway.hub.OutboundAccount;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ProtocolCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What one connection gets when it cannot keep up, whatever its transport: decides for every fan-out delivery
 * whether the connection may take it, and what happens when it may not. Loop-confined, like the connection.
 *
 * <p>A connection is behind when its socket is over its own outbound budget (not writable), or when the node is
 * short of {@code outbound.node-budget} and the connection's backlog is one the node refuses ({@link OutboundAccount},
 * opened here and sampled after every flush). A refused message is counted ({@code slow_consumer} or
 * {@code node_budget}), then the transport's {@link WhenBehind} decides:
 * <ul>
 *   <li>{@link WhenBehind#SKIP_OR_CLOSE} (WebSocket): on a topic whose policy skips, the message is skipped and
 *   counted per topic, and the client gets one {@code skipped} notice once it catches up (before the next message it
 *   takes); otherwise the connection has {@code outbound.slow-grace} to catch up, then it is closed with 4001.</li>
 *   <li>{@link WhenBehind#END} (SSE): a stream cannot skip (its {@code id:} would jump the messages), so it first
 *   flushes what the batch wrote so far, and if it is still behind it is ended at once and counted as a slow-consumer
 *   close; the client resumes from its last position.</li>
 * </ul>
 * The transport supplies only its {@link Socket}.
 */
public final class SlowConsumerPolicy {
    private static final Logger log = LoggerFactory.getLogger(SlowConsumerPolicy.class);

    /** What a transport does with a connection that is behind. */
    public enum WhenBehind {
        /** Skip (and later tell) on topics that skip, else close with 4001 after the grace period. */
        SKIP_OR_CLOSE,
        /** End the connection at once (after flushing what was written): the transport cannot skip. */
        END
    }

    /** The connection's side of the policy. Called on the connection's event loop only. */
    public interface Socket {
        /** Whether the connection still takes writes (open, and no close started). */
        boolean open();

        /** Whether the socket is under its own outbound budget (its high water mark). */
        boolean writable();

        /** Bytes written to the connection and not yet taken by the socket. */
        long pendingBytes();

        /** Writes (without flushing) one control frame, e.g. the {@code skipped} notice. */
        void writeNotice(byte[] frame);

        /** Flushes what was written. */
        void flush();

        /** Ends the connection now with {@code code}: its socket is stuck, so nothing waits for the peer. */
        void fail(CloseCode code);

        /** Runs {@code task} on the connection's event loop after {@code delay}. */
        void schedule(Runnable task, Duration delay);
    }

    private final Socket socket;
    private final String id;
    private final GatewayMetrics metrics;
    private final WhenBehind whenBehind;
    private final long graceNanos;
    private final OutboundAccount account;
    /** Messages skipped per topic while behind (skip policy); told to the client once it catches up. */
    private final Map<String, Integer> skipped = new HashMap<>(0);
    private long behindSince;

    /**
     * @param id    the connection, for logs
     * @param grace how long a connection may stay behind on a topic that does not skip ({@link WhenBehind#SKIP_OR_CLOSE})
     * @param loop  the node budget's share of the connection's event loop
     */
    public SlowConsumerPolicy(Socket socket, String id, GatewayMetrics metrics, WhenBehind whenBehind, Duration grace,
                              LoopBudget loop) {
        this.socket = socket;
        this.id = id;
        this.metrics = metrics;
        this.whenBehind = whenBehind;
        this.graceNanos = grace.toNanos();
        this.account = loop.open(socket::pendingBytes, this::caughtUp);
    }

    /** The connection's entry in the node budget: {@link OutboundAccount#update() update} it after every flush. */
    public OutboundAccount account() {
        return account;
    }

    /**
     * Whether the connection takes the next message of {@code topic} now. True: write it (a {@code skipped} notice
     * may have been written in front of it). False: drop it (counted; skipped, or the connection is being closed).
     * {@code skipWhenSlow} is the topic's slow-consumer policy ({@link WhenBehind#SKIP_OR_CLOSE} only).
     */
    public boolean admit(String topic, boolean skipWhenSlow) {
        boolean writable = socket.writable();
        if (!writable && whenBehind == WhenBehind.END) {
            // Over its budget in the middle of a batch: a reader that keeps up takes what is written so far now.
            socket.flush();
            writable = socket.writable();
        }
        if (writable && !account.refused()) {
            behindSince = 0;
            if (!skipped.isEmpty()) {
                // Refused for the node budget (not a writability change): it may take messages again, so say
                // first what it missed.
                tellSkipped();
            }
            return true;
        }
        if (writable) {
            metrics.droppedNodeBudget();
        } else {
            metrics.droppedSlowConsumer();
        }
        if (whenBehind == WhenBehind.END) {
            metrics.slowConsumerClosed();
            log.debug("ending slow stream: id={}", id);
            socket.fail(CloseCode.SLOW_CONSUMER);
        } else if (skipWhenSlow) {
            skipped.merge(topic, 1, Integer::sum);
        } else {
            behind();
        }
        return false;
    }

    /**
     * The socket took its backlog (a writability change, or the budget's sweep found it drained): tell the client
     * what it missed while it was behind.
     */
    public void caughtUp() {
        if (!socket.open() || !socket.writable() || account.refusedNow()) {
            return;
        }
        behindSince = 0;
        if (!skipped.isEmpty()) {
            tellSkipped();
            socket.flush();
            account.update();
        }
    }

    /** The connection closed: its backlog no longer counts against the node. Idempotent. */
    public void closed() {
        account.close();
    }

    /** Writes (without flushing) the {@code skipped} notice of what this connection missed while behind. */
    private void tellSkipped() {
        socket.writeNotice(ProtocolCodec.skipped(skipped));
        log.debug("slow consumer caught up: id={} skippedTopics={}", id, skipped.size());
        skipped.clear();
    }

    private void behind() {
        long now = System.nanoTime();
        if (behindSince == 0) {
            behindSince = now;
            log.debug("slow consumer skipping messages: id={}", id);
            // Decide at the end of the grace even if no further message comes to trigger it.
            socket.schedule(this::closeIfStillBehind, Duration.ofNanos(graceNanos));
        } else if (now - behindSince > graceNanos) {
            closeIfStillBehind();
        }
    }

    private void closeIfStillBehind() {
        if (behindSince == 0 || !socket.open() || socket.writable() && !account.refusedNow()) {
            return;
        }
        if (System.nanoTime() - behindSince < graceNanos) {
            // A later episode (the earlier one ended): its own check is scheduled.
            return;
        }
        metrics.slowConsumerClosed();
        log.info("closing slow consumer: id={} overBudgetMillis={}", id, (System.nanoTime() - behindSince) / 1_000_000);
        // The socket is stuck, so a Close frame would queue behind the backlog: fail the connection at once.
        socket.fail(CloseCode.SLOW_CONSUMER);
    }
}
