package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level routing of pushgate server frames (the JSON a WebSocket text frame, an SSE event's {@code data:} or an
 * element of a poll answer's {@code messages} carries): the {@code "op"}, the request {@code id} and an error's
 * {@code code}, with no JSON parse. Stateless.
 */
public final class PushgateFrames {
    /** The ops the bench tells apart. */
    public enum Op { MESSAGE, ACK, CONNECTED, ERROR, GAP, OTHER }

    private static final byte[] OP = FrameScan.ascii("\"op\":\"");
    private static final byte[] MESSAGE = FrameScan.ascii("message\"");
    private static final byte[] ACK = FrameScan.ascii("ack\"");
    private static final byte[] CONNECTED = FrameScan.ascii("connected\"");
    private static final byte[] ERROR = FrameScan.ascii("error\"");
    private static final byte[] GAP = FrameScan.ascii("gap\"");
    private static final byte[] ID = FrameScan.ascii("\"id\":");
    private static final byte[] CODE = FrameScan.ascii("\"code\":\"");

    private PushgateFrames() {
    }

    /** The op of the frame in the readable bytes of {@code frame} (indexes are not moved). */
    public static Op op(ByteBuf frame) {
        int op = FrameScan.indexOf(frame, OP);
        if (op < 0) {
            return Op.OTHER;
        }
        int name = op + OP.length;
        if (FrameScan.regionMatches(frame, name, MESSAGE)) {
            return Op.MESSAGE;
        } else if (FrameScan.regionMatches(frame, name, ACK)) {
            return Op.ACK;
        } else if (FrameScan.regionMatches(frame, name, CONNECTED)) {
            return Op.CONNECTED;
        } else if (FrameScan.regionMatches(frame, name, ERROR)) {
            return Op.ERROR;
        } else if (FrameScan.regionMatches(frame, name, GAP)) {
            return Op.GAP;
        }
        return Op.OTHER;
    }

    /** The frame's request {@code id}, or {@code -1} when it has none. */
    public static long id(ByteBuf frame) {
        return FrameScan.numberAfter(frame, ID);
    }

    /** An error frame's {@code code}, or {@code "error"} when it names none. */
    public static String errorCode(ByteBuf frame) {
        int at = FrameScan.indexOf(frame, CODE);
        if (at < 0) {
            return "error";
        }
        int start = at + CODE.length;
        int end = start;
        while (end < frame.writerIndex() && frame.getByte(end) != '"') {
            end++;
        }
        return frame.toString(start, end - start, StandardCharsets.UTF_8);
    }
}
