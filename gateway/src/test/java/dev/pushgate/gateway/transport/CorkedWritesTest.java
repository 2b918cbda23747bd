package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.hub.OutboundAccount;
import dev.pushgate.gateway.hub.OutboundBudget;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link WebSocketConnection}'s corked fan-out writes (ADR 0017), on an {@link EmbeddedChannel} whose outbound side
 * shows every buffer that entered the channel: small frames of one batch become one buffer of separate, ordered
 * frames; large frames keep their place; the flush policy and the node budget see the corked bytes.
 */
class CorkedWritesTest {
    private static final int THRESHOLD = 1024;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    private final List<ByteBuf> written = new ArrayList<>();
    private final ChannelInboundHandlerAdapter session = new ChannelInboundHandlerAdapter();
    private final EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false), session);

    @AfterEach
    void release() {
        written.forEach(ByteBuf::release);
        assertFalse(encoder.finishAndReleaseAll());
        assertFalse(ch.finishAndReleaseAll(), "nothing left unread");
    }

    private WebSocketConnection connection(int flushBytes, OutboundBudget budget) {
        if (budget == null) {
            budget = new OutboundBudget(1L << 30, ch.eventLoop(), 1 << 20);
        }
        ChannelHandlerContext ctx = ch.pipeline().context(session);
        return new WebSocketConnection(ctx, "c-test", new GatewayMetrics(new SimpleMeterRegistry()), 1_000_000_000L,
                512, budget, THRESHOLD, flushBytes);
    }

    /** The complete frame for {@code text}, as the hub's outbox hands it over (with the payload beside it). */
    private ByteBuf wire(String text) {
        encoder.writeOutbound(new TextWebSocketFrame(text));
        ByteBuf first = encoder.readOutbound();
        ByteBuf second = encoder.readOutbound();
        return second == null ? first : encoder.alloc().compositeBuffer(2).addComponents(true, first, second);
    }

    private boolean deliver(WebSocketConnection c, String text) {
        return c.deliver(io.netty.buffer.Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), wire(text), "t", true);
    }

    private List<ByteBuf> flushedBuffers() {
        List<ByteBuf> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((ByteBuf) o);
        }
        written.addAll(out);
        return out;
    }

    /** What a client reads from {@code buffers}, frame by frame. */
    private static List<String> decode(List<ByteBuf> buffers) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
        for (ByteBuf b : buffers) {
            client.writeInbound(b.retainedDuplicate());
        }
        List<String> texts = new ArrayList<>();
        for (Object o; (o = client.readInbound()) != null; ) {
            TextWebSocketFrame f = (TextWebSocketFrame) o;
            texts.add(f.text());
            f.release();
        }
        assertFalse(client.finish());
        return texts;
    }

    private static String message(int i) {
        return "{\"op\":\"message\",\"topic\":\"t\",\"seq\":" + i + ",\"data\":\"x\"}";
    }

    @Test
    void manySmallFramesOfOneBatchEnterTheChannelAsOneBufferOfSeparateFramesInOrder() {
        WebSocketConnection c = connection(1 << 20, null);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(message(i));
            assertTrue(deliver(c, message(i)));
        }
        assertNull(ch.readOutbound(), "nothing leaves before the batch's flush");
        c.flush();
        List<ByteBuf> buffers = flushedBuffers();
        assertEquals(1, buffers.size(), "one outbound entry for the whole batch");
        assertEquals(sent, decode(buffers));
    }

    @Test
    void aLargeFrameBetweenSmallOnesKeepsItsPlace() {
        WebSocketConnection c = connection(1 << 20, null);
        String large = "{\"data\":\"" + "y".repeat(5000) + "\"}";
        List<String> sent = List.of(message(1), message(2), large, message(3), message(4));
        sent.forEach(m -> assertTrue(deliver(c, m)));
        c.flush();
        List<ByteBuf> buffers = flushedBuffers();
        assertEquals(3, buffers.size(), "cork, the large frame by reference, cork");
        assertEquals(sent, decode(buffers));
    }

    @Test
    void aLoneSmallFrameIsWrittenByReferenceNotCopied() {
        WebSocketConnection c = connection(1 << 20, null);
        ByteBuf wire = wire(message(7));
        assertTrue(c.deliver(io.netty.buffer.Unpooled.copiedBuffer(message(7), StandardCharsets.UTF_8), wire, "t",
                true));
        c.flush();
        List<ByteBuf> buffers = flushedBuffers();
        assertEquals(1, buffers.size());
        assertSame(wire, buffers.get(0));
    }

    @Test
    void aBatchFlushesOnceFlushBytesWereWritten() {
        WebSocketConnection c = connection(1000, null);
        int frame = message(10).length() + 2; // the same length for seq 10..99, with a 2-byte header
        int before = (1000 - 1) / frame; // frames that stay below flushBytes
        for (int i = 0; i < before; i++) {
            deliver(c, message(10 + i));
        }
        assertNull(ch.readOutbound(), "below flushBytes nothing is flushed mid-batch");
        deliver(c, message(99));
        List<ByteBuf> buffers = flushedBuffers();
        assertEquals(1, buffers.size(), "the frame reaching flushBytes flushed the cork");
        assertEquals(before + 1, decode(buffers).size());
    }

    @Test
    void corkedBytesCountAsTheConnectionsBacklogForTheNodeBudget() {
        OutboundBudget budget = new OutboundBudget(10_000, ch.eventLoop(), 200);
        WebSocketConnection c = connection(1 << 20, budget);
        // Another connection of the loop holds 6,000 bytes: the node is under pressure (from half the budget).
        OutboundAccount big = budget.loop(ch.eventLoop()).open(() -> 6_000, () -> { });
        big.update();
        assertEquals(OutboundBudget.Level.PRESSURE, budget.loop(ch.eventLoop()).refresh());
        int accepted = 0;
        while (accepted < 100 && deliver(c, message(accepted))) {
            accepted++;
        }
        assertTrue(accepted > 1 && accepted < 100,
                "refused once its corked (unwritten) bytes reach the behind threshold; accepted=" + accepted);
        assertNull(ch.readOutbound(), "refused while everything was still corked");
        big.close();
        c.flush();
        List<String> texts = decode(flushedBuffers());
        assertEquals(accepted, texts.size(), "the accepted messages (the skipped notice follows once it caught up)");
        assertEquals(message(accepted - 1), texts.get(accepted - 1));
    }
}
