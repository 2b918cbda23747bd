package dev.pushgate.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FrameGuardHandler}: auto-read follows writability; frames with RSV bits left set are refused. */
class FrameGuardHandlerTest {
    private static final HeartbeatWheel WHEEL = new HeartbeatWheel(30_000_000_000L, 35_000_000_000L);

    @Test
    void readingStopsWhileNotWritableAndResumesAfter() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.pipeline().addLast(new FrameGuardHandler(WHEEL));
        assertTrue(ch.config().isAutoRead());
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "no reading while the answers pile up");
        ch.flush();
        ByteBuf out = ch.readOutbound();
        out.release();
        assertTrue(ch.isWritable());
        assertTrue(ch.config().isAutoRead());
        assertFalse(ch.finish());
    }

    @Test
    void frameWithRsvBitsIsDroppedAndReported() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameGuardHandler(WHEEL), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        TextWebSocketFrame bad = new TextWebSocketFrame(true, 0b010, Unpooled.copiedBuffer(new byte[]{'x'}));
        ch.writeInbound(bad);
        assertEquals(0, bad.refCnt(), "the refused frame is released");
        assertNull(ch.readInbound());
        assertEquals(List.of(FrameGuardHandler.RSV_VIOLATION), events);
        ch.writeInbound(new TextWebSocketFrame("ok"));
        TextWebSocketFrame good = ch.readInbound();
        assertEquals("ok", good.text());
        good.release();
        assertFalse(ch.finish());
    }
}
