package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The frames {@link WireFrames} writes are byte for byte what Netty's own encoder writes, at every length class. */
class WireFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void sameBytesAsNettysEncoder(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'a');
        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        netty.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf expected = Unpooled.buffer();
        for (ByteBuf b; (b = netty.readOutbound()) != null; ) {
            expected.writeBytes(b);
            b.release();
        }
        assertFalse(netty.finish());
        ByteBuf ours = WireFrames.encode(PooledByteBufAllocator.DEFAULT, payload);
        try {
            assertEquals(WireFrames.headerLength(length), ours.readableBytes() - length);
            assertArrayEquals(ByteBufUtil.getBytes(expected), ByteBufUtil.getBytes(ours));
        } finally {
            ours.release();
            expected.release();
        }
    }
}
