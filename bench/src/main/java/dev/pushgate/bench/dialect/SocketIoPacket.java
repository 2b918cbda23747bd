package dev.pushgate.bench.dialect;

import dev.pushgate.bench.payload.AsciiNumbers;
import io.netty.buffer.ByteBuf;

/**
 * The Socket.IO v4 packets the bench needs, one Engine.IO packet per WebSocket text frame, default namespace only:
 * Engine.IO {@code 0} open, {@code 1} close, {@code 2} ping, {@code 3} pong, {@code 4} message; inside a message the
 * Socket.IO type {@code 0} connect, {@code 1} disconnect, {@code 2} event, {@code 3} ack, {@code 4} connect error,
 * then an optional ack id and a JSON array. Example: {@code 421["subscribe","t"]} is event id 1, and the server's
 * {@code 431[{"ok":true}]} acknowledges it.
 */
public final class SocketIoPacket {
    /** Engine.IO open. */
    public static final int OPEN = '0';
    /** Engine.IO close. */
    public static final int CLOSE = '1';
    /** Engine.IO ping (server to client in v4). */
    public static final int PING = '2';
    /** Engine.IO message (carries a Socket.IO packet). */
    public static final int MESSAGE = '4';
    /** Socket.IO connect. */
    public static final int CONNECT = '0';
    /** Socket.IO disconnect. */
    public static final int DISCONNECT = '1';
    /** Socket.IO event. */
    public static final int EVENT = '2';
    /** Socket.IO ack. */
    public static final int ACK = '3';
    /** Socket.IO connect error. */
    public static final int CONNECT_ERROR = '4';

    private SocketIoPacket() {
    }

    /** The Engine.IO packet type (a character such as {@link #PING}), or {@code -1} for an empty frame. */
    public static int engineType(ByteBuf frame) {
        return frame.isReadable() ? frame.getByte(frame.readerIndex()) : -1;
    }

    /** The Socket.IO packet type of an Engine.IO message, or {@code -1}. */
    public static int socketType(ByteBuf frame) {
        return frame.readableBytes() >= 2 && engineType(frame) == MESSAGE ? frame.getByte(frame.readerIndex() + 1) : -1;
    }

    /** The ack id right after the two type characters, or {@code -1} when there is none. */
    public static long ackId(ByteBuf frame) {
        return AsciiNumbers.read(frame, frame.readerIndex() + 2, frame.writerIndex());
    }

    /** Whether the frame is an event named {@code quotedName} (e.g. {@code "message"} with the quotes). */
    public static boolean isEvent(ByteBuf frame, byte[] quotedName) {
        if (socketType(frame) != EVENT) {
            return false;
        }
        int i = frame.readerIndex() + 2;
        while (i < frame.writerIndex() && frame.getByte(i) >= '0' && frame.getByte(i) <= '9') {
            i++;
        }
        return i < frame.writerIndex() && frame.getByte(i) == '['
                && FrameScan.regionMatches(frame, i + 1, quotedName);
    }

    /**
     * Appends the head of an event with ack id {@code ackId} ({@code < 0}: no ack): {@code 42<id>["name",}. The
     * arguments and {@link #writeEventTail} follow.
     */
    public static void writeEventHead(ByteBuf out, long ackId, String name) {
        out.writeByte(MESSAGE);
        out.writeByte(EVENT);
        if (ackId >= 0) {
            AsciiNumbers.write(out, ackId);
        }
        out.writeByte('[');
        FrameScan.writeQuoted(out, name);
        out.writeByte(',');
    }

    /** Appends the end of an event's argument array. */
    public static void writeEventTail(ByteBuf out) {
        out.writeByte(']');
    }
}
