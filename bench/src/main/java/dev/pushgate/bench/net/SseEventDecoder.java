package dev.pushgate.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} body, fed in whatever pieces the network delivers, into events and hands each
 * event's data (its {@code data:} lines joined with {@code \n}, as EventSource does) to a consumer. Lines end with
 * {@code \n} or {@code \r\n}; an empty line ends an event; comments ({@code :}), {@code id:}, {@code event:} and
 * {@code retry:} are skipped; an event without data is not dispatched. A line or event over {@code maxEventBytes}
 * is an {@link IllegalStateException}. One per stream, not thread-safe; {@link #release()} frees its buffers.
 */
public final class SseEventDecoder {
    private final ByteBuf pending;
    private final ByteBuf data;
    private final int maxEventBytes;
    private boolean hasData;

    public SseEventDecoder(ByteBufAllocator alloc, int maxEventBytes) {
        this.pending = alloc.heapBuffer(1024);
        this.data = alloc.heapBuffer(1024);
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Consumes the readable bytes of {@code chunk} (not released) and calls {@code events} with the data of every
     * event that is now complete, in order. The data buffer is only valid during the call.
     */
    public void feed(ByteBuf chunk, Consumer<ByteBuf> events) {
        pending.writeBytes(chunk);
        while (true) {
            int start = pending.readerIndex();
            int lf = pending.indexOf(start, pending.writerIndex(), (byte) '\n');
            if (lf < 0) {
                break;
            }
            int end = lf > start && pending.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            line(start, end, events);
            pending.readerIndex(lf + 1);
        }
        if (pending.readableBytes() > maxEventBytes || data.readableBytes() > maxEventBytes) {
            throw new IllegalStateException("SSE event over " + maxEventBytes + " bytes");
        }
        pending.discardReadBytes();
    }

    private void line(int start, int end, Consumer<ByteBuf> events) {
        if (start == end) {
            if (hasData) {
                events.accept(data);
            }
            data.clear();
            hasData = false;
            return;
        }
        if (pending.getByte(start) == ':') {
            return;
        }
        int colon = pending.indexOf(start, end, (byte) ':');
        int nameEnd = colon < 0 ? end : colon;
        if (nameEnd - start != 4 || pending.getByte(start) != 'd' || pending.getByte(start + 1) != 'a'
                || pending.getByte(start + 2) != 't' || pending.getByte(start + 3) != 'a') {
            return;
        }
        int value = colon < 0 ? end : colon + 1;
        if (value < end && pending.getByte(value) == ' ') {
            value++;
        }
        if (hasData) {
            data.writeByte('\n');
        }
        data.writeBytes(pending, value, end - value);
        hasData = true;
    }

    public void release() {
        pending.release();
        data.release();
    }
}
