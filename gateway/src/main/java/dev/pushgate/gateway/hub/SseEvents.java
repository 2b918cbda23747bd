package dev.pushgate.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Turns a frame's JSON into the shared part of a Server-Sent Event: {@code data: <json>\n\n}. A line break inside
 * the JSON (whitespace a publisher's data may carry) starts a new {@code data:} line, which the receiver joins with
 * a {@code \n} again, so the JSON text stays equivalent. The per-subscriber {@code id:} line, when there is one, is
 * written before these bytes. Stateless.
 */
public final class SseEvents {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private SseEvents() {
    }

    /** The event bytes for {@code json} (not consumed); the caller releases the result. */
    public static ByteBuf encode(ByteBufAllocator alloc, ByteBuf json) {
        int from = json.readerIndex();
        int end = from + json.readableBytes();
        int breaks = 0;
        for (int i = from; i < end; i++) {
            byte b = json.getByte(i);
            if (b == '\n' || b == '\r') {
                breaks++;
            }
        }
        ByteBuf out = alloc.directBuffer(DATA.length * (breaks + 1) + json.readableBytes() + 2);
        out.writeBytes(DATA);
        if (breaks == 0) {
            out.writeBytes(json, from, json.readableBytes());
        } else {
            for (int i = from; i < end; i++) {
                byte b = json.getByte(i);
                if (b == '\r' && i + 1 < end && json.getByte(i + 1) == '\n') {
                    continue; // CRLF: one line break, written at its LF
                }
                if (b == '\n' || b == '\r') {
                    out.writeByte('\n').writeBytes(DATA);
                } else {
                    out.writeByte(b);
                }
            }
        }
        return out.writeByte('\n').writeByte('\n');
    }
}
