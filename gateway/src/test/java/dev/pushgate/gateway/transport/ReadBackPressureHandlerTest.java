package dev.pushgate.gateway.transport;

import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBuf;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReadBackPressureHandler}: auto-read follows writability. */
class ReadBackPressureHandlerTest {
    @Test
    void readingStopsWhileNotWritableAndResumesAfter() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.pipeline().addLast(new ReadBackPressureHandler());
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
}
