package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a {@code message} payload as the complete server WebSocket frame (header + payload) once per event loop, so
 * every uncompressed subscriber on the loop gets the same wire bytes instead of its own frame object, header buffer
 * and payload copy. Server frames are unmasked, so the bytes are the same for every connection: a FIN text frame
 * (RFC 6455 section 5.2) whose 2-, 4- or 10-byte header is computed here, no encoder pipeline involved. Stateless.
 */
final class WireFrames {
    private static final int FIN_TEXT = 0x81;

    private WireFrames() {
    }

    /** Bytes of the header in front of a {@code payloadLength}-byte unmasked frame. */
    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** The encoded frame for {@code payload} in one new pooled direct buffer; the caller releases it. */
    static ByteBuf encode(ByteBufAllocator alloc, byte[] payload) {
        int n = payload.length;
        int size = headerLength(n) + n;
        ByteBuf out = alloc.directBuffer(size, size);
        out.writeByte(FIN_TEXT);
        if (n < 126) {
            out.writeByte(n);
        } else if (n <= 0xFFFF) {
            out.writeByte(126).writeShort(n);
        } else {
            out.writeByte(127).writeLong(n);
        }
        return out.writeBytes(payload);
    }
}
