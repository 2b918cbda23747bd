package dev.pushgate.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub against a broker of our own (no sockets): subscription generations, and node-level catch-up — a hole in
 * a topic's live stream (offset jump, link blip) is filled from history before newer publications, or announced
 * with {@code gap} when history cannot fill it.
 */
class HubRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final FakeBroker broker = new FakeBroker();
    private final Hub hub = new Hub(broker, loops, PooledByteBufAllocator.DEFAULT, 65536, 0, FanoutMetrics.NONE,
            t -> false, new OutboundBudget(64L << 20, loops, 1 << 18));
    private final EventLoop loop = loops.next();

    HubRecoveryTest() {
        broker.start(hub);
    }

    @AfterEach
    void stop() throws Exception {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        hub.discardPending();
    }

    @Test
    void aFailingOlderSubscribeDoesNotRemoveANewerAcknowledgedOne() throws Exception {
        JsonSubscriber s = new JsonSubscriber(loop);
        CompletableFuture<Void> first = new CompletableFuture<>();
        broker.nextSubscribe.add(first);
        Subscription older = onLoop(() -> hub.subscribe("t", s, null));
        onLoop(() -> hub.unsubscribe(older));
        broker.nextSubscribe.add(CompletableFuture.completedFuture(null));
        Subscription newer = onLoop(() -> hub.subscribe("t", s, null));
        newer.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(newer.generation() > older.generation());

        first.completeExceptionally(new IllegalStateException("redis down"));
        onLoop(() -> null); // the failure hops to the loop; run after it
        onLoop(() -> null);

        assertEquals(1, hub.subscriptionCount());
        broker.listener.onPublication("t", 1, "E", bytes("1"));
        Await.until(WAIT, () -> s.frames.size() == 1, () -> "frames " + s.frames);
        assertFalse(older.started().toCompletableFuture().isDone(), "the removed attempt never starts");
    }

    @Test
    void aRecoveringSubscriptionGetsLiveOnesAfterTheReplayWithoutGapOrDuplicate() throws Exception {
        subscribed("t", new StreamPosition(10, "E"));
        CompletableFuture<HistoryResult> slow = new CompletableFuture<>();
        broker.slowHistory = slow;
        JsonSubscriber s = new JsonSubscriber(loop);
        Subscription sub = onLoop(() -> hub.subscribe("t", s, new StreamPosition(7, "E")));
        broker.listener.onPublication("t", 11, "E", bytes("11")); // read by the history below, and live
        broker.listener.onPublication("t", 12, "E", bytes("12")); // after the read: live only
        slow.complete(new HistoryResult(new StreamPosition(11, "E"), List.of(pub(8), pub(9), pub(10), pub(11)),
                true));
        Subscription.Start start = sub.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Boolean.TRUE, start.recovered());
        assertEquals(List.of(8L, 9L, 10L, 11L), start.replay().stream().map(Publication::offset).toList());
        broker.listener.onPublication("t", 13, "E", bytes("13"));
        Await.until(WAIT, () -> s.frames.size() >= 2 && s.seqs().contains(13L), () -> "frames " + s.frames);
        assertEquals(List.of(12L, 13L), s.seqs(), "buffered during the read, minus what the replay covers");
    }

    @Test
    void liveTrafficThatOutrunsTheRecoveryBufferEndsTheRecoveryWithoutAHole() throws Exception {
        subscribed("t", new StreamPosition(10, "E"));
        CompletableFuture<HistoryResult> slow = new CompletableFuture<>();
        broker.slowHistory = slow;
        JsonSubscriber s = new JsonSubscriber(loop);
        Subscription sub = onLoop(() -> hub.subscribe("t", s, new StreamPosition(5, "E")));
        int last = 10 + Subscription.MAX_BUFFERED + 50;
        for (int i = 11; i <= last; i++) {
            broker.listener.onPublication("t", i, "E", bytes(Integer.toString(i)));
        }
        onLoop(() -> null);
        slow.complete(new HistoryResult(new StreamPosition(10, "E"),
                List.of(pub(6), pub(7), pub(8), pub(9), pub(10)), true));
        Subscription.Start start = sub.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Boolean.FALSE, start.recovered(), "the buffer overflowed: not recovered");
        assertEquals(List.of(), start.replay());
        assertEquals(last, start.position().offset(), "starts after the last frame it had to drop");
        broker.listener.onPublication("t", last + 1, "E", bytes("1"));
        Await.until(WAIT, () -> s.seqs().contains((long) last + 1), () -> "frames " + s.frames.size());
        assertEquals(List.of((long) last + 1), s.seqs(), "nothing at or below the start position");
    }

    @Test
    void aPositionHistoryCannotCoverStartsAtTheCurrentOneWithoutReplay() throws Exception {
        subscribed("t", new StreamPosition(10, "E"));
        broker.history.put(2L, new HistoryResult(new StreamPosition(10, "E"), List.of(), false));
        JsonSubscriber s = new JsonSubscriber(loop);
        Subscription sub = onLoop(() -> hub.subscribe("t", s, new StreamPosition(2, "E")));
        Subscription.Start start = sub.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Boolean.FALSE, start.recovered());
        assertEquals(new StreamPosition(10, "E"), start.position());
        assertEquals(List.of(), start.replay());
    }

    @Test
    void anOffsetJumpIsRepairedFromHistoryBeforeNewerPublications() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(10, "E"));
        broker.history.put(10L, new HistoryResult(new StreamPosition(13, "E"),
                List.of(pub(11), pub(12), pub(13)), true));
        broker.listener.onPublication("t", 14, "E", bytes("14"));
        broker.listener.onPublication("t", 15, "E", bytes("15"));
        Await.until(WAIT, () -> s.frames.size() == 5, () -> "frames " + s.frames);
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), s.seqs());
    }

    @Test
    void liveOnesArrivingDuringTheRepairWaitAndDuplicatesAreDropped() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(10, "E"));
        CompletableFuture<HistoryResult> slow = new CompletableFuture<>();
        broker.slowHistory = slow;
        broker.listener.onPublication("t", 13, "E", bytes("13"));
        broker.listener.onPublication("t", 14, "E", bytes("14"));
        onLoop(() -> null);
        assertEquals(List.of(), s.seqs(), "held while history is read");
        slow.complete(new HistoryResult(new StreamPosition(14, "E"), List.of(pub(11), pub(12), pub(13), pub(14)),
                true));
        broker.listener.onPublication("t", 15, "E", bytes("15"));
        Await.until(WAIT, () -> s.frames.size() == 5, () -> "frames " + s.frames);
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), s.seqs());
    }

    @Test
    void aLinkBlipIsRepairedAfterResubscribing() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(3, "E"));
        broker.listener.onPublication("t", 4, "E", bytes("4"));
        broker.listener.onLinkDown();
        broker.history.put(4L, new HistoryResult(new StreamPosition(6, "E"), List.of(pub(5), pub(6)), true));
        broker.listener.onResubscribed(Set.of("t"));
        broker.listener.onPublication("t", 7, "E", bytes("7"));
        Await.until(WAIT, () -> s.frames.size() == 4, () -> "frames " + s.frames);
        assertEquals(List.of(4L, 5L, 6L, 7L), s.seqs());
    }

    @Test
    void aHistoryReadThatFailsIsRetriedNotTakenForLostHistory() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(3, "E"));
        broker.failReads.set(2);
        broker.history.put(3L, new HistoryResult(new StreamPosition(5, "E"), List.of(pub(4), pub(5)), true));
        broker.listener.onLinkDown();
        broker.listener.onResubscribed(Set.of("t"));
        broker.listener.onPublication("t", 6, "E", bytes("6"));
        Await.until(WAIT, () -> s.frames.size() == 3, () -> "frames " + s.frames);
        assertEquals(List.of(4L, 5L, 6L), s.seqs());
        assertEquals(0, hub.continuity("t").gaps());
    }

    @Test
    void aHoleHistoryCannotFillIsAnnouncedAsAGap() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(10, "E"));
        broker.history.put(10L, new HistoryResult(new StreamPosition(20, "E"), List.of(), false));
        broker.listener.onPublication("t", 20, "E", bytes("20"));
        broker.listener.onPublication("t", 21, "E", bytes("21"));
        Await.until(WAIT, () -> s.frames.size() == 3, () -> "frames " + s.frames);
        JsonNode gap = s.frames.get(0);
        assertEquals("gap", gap.path("op").asText());
        assertEquals("E", gap.path("epoch").asText());
        assertEquals(19, gap.path("seq").asLong());
        assertEquals(List.of(20L, 21L), s.seqs());
        assertEquals(1, hub.continuity("t").gaps());
    }

    @Test
    void aNewEpochIsAnnouncedAsAGap() throws Exception {
        JsonSubscriber s = subscribed("t", new StreamPosition(10, "E"));
        broker.listener.onPublication("t", 1, "E2", bytes("1"));
        Await.until(WAIT, () -> s.frames.size() == 2, () -> "frames " + s.frames);
        assertEquals("gap", s.frames.get(0).path("op").asText());
        assertEquals("E2", s.frames.get(0).path("epoch").asText());
        assertEquals(0, s.frames.get(0).path("seq").asLong());
        assertEquals(List.of(1L), s.seqs());
    }

    @Test
    void aGapOnlyTheNodeInternalSubscriberMissedIsNotCounted() throws Exception {
        java.util.concurrent.atomic.AtomicInteger gaps = new java.util.concurrent.atomic.AtomicInteger();
        FanoutMetrics counting = new FanoutMetrics() {
            @Override
            public void topicGap() {
                gaps.incrementAndGet();
            }
        };
        FakeBroker statsBroker = new FakeBroker();
        Hub node = new Hub(statsBroker, loops, PooledByteBufAllocator.DEFAULT, 65536, 0, counting, t -> false,
                new OutboundBudget(64L << 20, loops, 1 << 18));
        statsBroker.start(node);
        List<String> seen = new CopyOnWriteArrayList<>();
        node.listen("stats", data -> seen.add(new String(data, StandardCharsets.UTF_8)));
        statsBroker.listener.onPublication("stats", 1, "E", bytes("1"));
        // A link blip while the topic (no history) was published: a hole nobody but the node itself had.
        statsBroker.history.put(1L, new HistoryResult(new StreamPosition(2, "E"), List.of(), false));
        statsBroker.listener.onLinkDown();
        statsBroker.listener.onResubscribed(Set.of("stats"));
        statsBroker.listener.onPublication("stats", 3, "E", bytes("3"));
        Await.until(WAIT, () -> seen.size() == 2, () -> "seen " + seen);
        assertEquals(1, node.continuity("stats").gaps(), "the hole was noticed");
        assertEquals(0, gaps.get(), "but no subscriber was sent a gap, so none is counted");

        JsonSubscriber s = new JsonSubscriber(loop);
        Subscription sub = onLoop(() -> node.subscribe("stats", s, null));
        sub.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        statsBroker.listener.onPublication("stats", 5, "E", bytes("5"));
        Await.until(WAIT, () -> s.frames.size() == 2, () -> "frames " + s.frames);
        assertEquals("gap", s.frames.get(0).path("op").asText(), "a client subscriber is told");
        assertEquals(1, gaps.get());
        node.discardPending();
    }

    /** A subscriber of {@code topic} on a node whose broker says the topic is at {@code position}. */
    private JsonSubscriber subscribed(String topic, StreamPosition position) throws Exception {
        broker.position = position;
        JsonSubscriber s = new JsonSubscriber(loop);
        Subscription sub = onLoop(() -> hub.subscribe(topic, s, null));
        Subscription.Start start = sub.started().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(position, start.position());
        return s;
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static Publication pub(long offset) {
        return new Publication(offset, bytes(Long.toString(offset)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A broker whose answers the test sets. */
    private static final class FakeBroker implements Broker {
        volatile BrokerListener listener;
        final List<CompletableFuture<Void>> nextSubscribe = new CopyOnWriteArrayList<>();
        /** History answers by asked offset. */
        final Map<Long, HistoryResult> history = new ConcurrentHashMap<>();
        volatile StreamPosition position = new StreamPosition(0, "E");
        volatile CompletableFuture<HistoryResult> slowHistory;
        /** Reads (after the position read) to fail as unavailable before answering. */
        final java.util.concurrent.atomic.AtomicInteger failReads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void start(BrokerListener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<Void> subscribe(String topic) {
            return nextSubscribe.isEmpty() ? CompletableFuture.completedFuture(null) : nextSubscribe.remove(0);
        }

        @Override
        public CompletionStage<Void> unsubscribe(String topic) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy h) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
            if (sinceOffset < 0) {
                return CompletableFuture.completedFuture(new HistoryResult(position, List.of(), true));
            }
            if (failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(
                        new dev.pushgate.gateway.broker.BrokerUnavailableException("down"));
            }
            CompletableFuture<HistoryResult> slow = slowHistory;
            if (slow != null) {
                slowHistory = null;
                return slow;
            }
            HistoryResult r = history.get(sinceOffset);
            return CompletableFuture.completedFuture(r != null ? r
                    : new HistoryResult(position, List.of(), false));
        }

        @Override
        public CompletionStage<Void> publishJoin(String topic, byte[] member) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> publishLeave(String topic, byte[] member) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    /** Records the frames it is given, as JSON. */
    private static final class JsonSubscriber extends TestSubscriber {
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();

        JsonSubscriber(EventLoop loop) {
            super(loop);
        }

        List<Long> seqs() {
            List<Long> out = new ArrayList<>();
            for (JsonNode f : frames) {
                if (f.path("op").asText().equals("message")) {
                    out.add(f.path("seq").asLong());
                }
            }
            return out;
        }

        @Override
        void record(ByteBuf frame, ByteBuf wire) {
            try {
                frames.add(JSON.readTree(frame.toString(StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
