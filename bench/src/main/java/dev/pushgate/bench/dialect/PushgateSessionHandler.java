package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Routes pushgate server frames to a {@link SessionListener} by looking at the {@code "op"} bytes only; message
 * frames go to the listener whole, unparsed. One per connection.
 */
final class PushgateSessionHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final byte[] OP = FrameScan.ascii("\"op\":\"");
    private static final byte[] MESSAGE = FrameScan.ascii("message\"");
    private static final byte[] ACK = FrameScan.ascii("ack\"");
    private static final byte[] CONNECTED = FrameScan.ascii("connected\"");
    private static final byte[] ERROR = FrameScan.ascii("error\"");
    private static final byte[] ID = FrameScan.ascii("\"id\":");
    private static final byte[] CODE = FrameScan.ascii("\"code\":\"");

    private final SessionListener listener;

    PushgateSessionHandler(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        int op = FrameScan.indexOf(content, OP);
        if (op < 0) {
            return;
        }
        int name = op + OP.length;
        if (FrameScan.regionMatches(content, name, MESSAGE)) {
            listener.onMessage(ctx.channel(), content);
        } else if (FrameScan.regionMatches(content, name, ACK)) {
            listener.onAck(ctx.channel(), FrameScan.numberAfter(content, ID));
        } else if (FrameScan.regionMatches(content, name, CONNECTED)) {
            listener.onReady(ctx.channel());
        } else if (FrameScan.regionMatches(content, name, ERROR)) {
            listener.onError(ctx.channel(), Math.max(0, FrameScan.numberAfter(content, ID)), errorCode(content));
        }
    }

    private static String errorCode(ByteBuf content) {
        int at = FrameScan.indexOf(content, CODE);
        if (at < 0) {
            return "error";
        }
        int start = at + CODE.length;
        int end = start;
        while (end < content.writerIndex() && content.getByte(end) != '"') {
            end++;
        }
        return content.toString(start, end - start, StandardCharsets.UTF_8);
    }
}
