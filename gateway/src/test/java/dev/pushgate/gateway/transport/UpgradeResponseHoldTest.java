package dev.pushgate.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UpgradeResponseHold}: a 101's write completes at once and its flush is held, so the next flush (the first
 * WebSocket frame's) sends the 101 and the frame together, in order; other responses pass untouched.
 */
class UpgradeResponseHoldTest {
    private static FullHttpResponse response(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    }

    @Test
    void a101IsWrittenAtOnceButFlushedOnlyWithTheFirstFrame() {
        UpgradeResponseHold hold = new UpgradeResponseHold();
        EmbeddedChannel ch = new EmbeddedChannel(hold);
        FullHttpResponse switching = response(HttpResponseStatus.SWITCHING_PROTOCOLS);

        ChannelFuture written = ch.writeAndFlush(switching);

        assertTrue(written.isSuccess(), "the handshake may complete before the 101 reaches the socket");
        assertNull(ch.readOutbound(), "the 101 is not flushed on its own");
        // At the upgrade the hold leaves the pipeline; the connected frame's flush sends both.
        ch.pipeline().remove(hold);
        ch.writeAndFlush(Unpooled.copiedBuffer("connected", StandardCharsets.US_ASCII));

        assertSame(switching, ch.readOutbound(), "the 101 first");
        ByteBuf frame = ch.readOutbound();
        assertEquals("connected", frame.toString(StandardCharsets.US_ASCII));
        frame.release();
        assertFalse(ch.finish());
    }

    @Test
    void otherResponsesAreWrittenAndFlushedAsTheyCome() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpgradeResponseHold());
        FullHttpResponse ok = response(HttpResponseStatus.OK);

        ChannelFuture written = ch.writeAndFlush(ok);

        assertTrue(written.isSuccess());
        assertSame(ok, ch.readOutbound());
        assertFalse(ch.finish());
    }

    @Test
    void a101OnAClosedChannelIsNotHeld() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpgradeResponseHold());
        ch.close();

        ChannelFuture written = ch.writeAndFlush(response(HttpResponseStatus.SWITCHING_PROTOCOLS));

        assertFalse(written.isSuccess(), "no handshake completes on a closed channel");
        assertFalse(ch.finish());
    }
}
