package dev.pushgate.gateway.hub;

import dev.pushgate.gateway.broker.InMemoryBroker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Issue 11: the fan-out prepares each wire format once per publication per loop: every SSE subscriber of a loop gets
 * a duplicate of the same {@code data:} bytes, every WebSocket subscriber of the same WebSocket frame.
 */
class WireFormatFanoutTest {
    private EventLoopGroup group;
    private Hub hub;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InMemoryBroker broker = new InMemoryBroker();
        hub = new Hub(broker, group, PooledByteBufAllocator.DEFAULT, 1024, 0, FanoutMetrics.NONE, t -> false,
                new OutboundBudget(64L << 20, group, 1 << 18));
        broker.start(hub);
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        hub.discardPending();
    }

    @Test
    void eachFormatIsBuiltOncePerLoopAndShared() throws Exception {
        EventLoop loop = group.next();
        Keeping sse1 = new Keeping(loop, WireFormat.SSE);
        Keeping sse2 = new Keeping(loop, WireFormat.SSE);
        Keeping ws1 = new Keeping(loop, WireFormat.WEBSOCKET);
        Keeping ws2 = new Keeping(loop, WireFormat.WEBSOCKET);
        for (Keeping k : new Keeping[] {sse1, sse2, ws1, ws2}) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> hub.subscribe("t", k, null).started().whenComplete((ok, err) -> done.complete(null)));
            done.get(5, TimeUnit.SECONDS);
        }
        hub.onPublication("t", -1, null, "{\"a\":\n1}".getBytes(StandardCharsets.UTF_8));
        Got a = sse1.take();
        Got b = sse2.take();
        assertEquals("data: {\"op\":\"message\",\"topic\":\"t\",\"data\":{\"a\":\ndata: 1}}\n\n", a.text);
        assertEquals(a.shared, b.shared, "one SSE event per loop, shared");
        Got c = ws1.take();
        Got d = ws2.take();
        assertEquals(c.shared, d.shared, "one WebSocket frame per loop, shared");
        assertEquals((byte) 0x81, c.first, "a text frame");
    }

    @Test
    void sseEventsSplitLineBreaksIntoDataLines() {
        ByteBuf out = SseEvents.encode(PooledByteBufAllocator.DEFAULT,
                Unpooled.copiedBuffer("{\"a\":\r\n1,\r\"b\":2}", StandardCharsets.UTF_8));
        try {
            assertEquals("data: {\"a\":\ndata: 1,\ndata: \"b\":2}\n\n", out.toString(StandardCharsets.UTF_8));
        } finally {
            out.release();
        }
    }

    private record Got(String text, Object shared, byte first) {
    }

    private static final class Keeping extends TestSubscriber {
        private final WireFormat format;
        private final BlockingQueue<Got> got = new LinkedBlockingQueue<>();

        Keeping(EventLoop loop, WireFormat format) {
            super(loop);
            this.format = format;
        }

        Got take() throws InterruptedException {
            Got g = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(g);
            return g;
        }

        @Override
        public WireFormat format() {
            return format;
        }

        @Override
        void record(ByteBuf frame, ByteBuf wire) {
            // Duplicates of one buffer read the same memory (the leak detector wraps each duplicate).
            Object shared = wire.hasMemoryAddress() ? (Object) (wire.memoryAddress() + wire.readerIndex())
                    : wire.nioBuffer();
            got.add(new Got(wire.toString(StandardCharsets.UTF_8), shared, wire.getByte(wire.readerIndex())));
        }
    }
}
