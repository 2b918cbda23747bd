package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;

/**
 * Turns a {@code message} payload into the complete server WebSocket frame (header + payload) once per event loop,
 * with Netty's own frame encoder, so every uncompressed subscriber on the loop gets a duplicate of the same wire
 * bytes instead of its own frame object, header buffer and payload copy. Server frames are unmasked, so the bytes
 * are the same for every connection. Loop-confined (one per {@link LoopOutbox}).
 */
final class WireFrames {
    private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(false));

    WireFrames(ByteBufAllocator alloc) {
        encoder.config().setAllocator(alloc);
    }

    /** The encoded frame for {@code payload} (not consumed); the caller releases the result. */
    ByteBuf encode(ByteBuf payload) {
        encoder.writeOutbound(new TextWebSocketFrame(payload.retainedDuplicate()));
        ByteBuf first = encoder.readOutbound();
        ByteBuf second = encoder.readOutbound();
        if (second == null) {
            return first;
        }
        try {
            // Large payloads come out as header + payload; keep them together as one buffer without copying.
            return encoder.alloc().compositeDirectBuffer(2).addComponents(true, first, second);
        } catch (Throwable t) {
            first.release();
            second.release();
            throw t;
        }
    }
}
