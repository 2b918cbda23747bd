package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The client side of Socket.IO v4 over a raw WebSocket: answers the Engine.IO open with a namespace connect
 * ({@code 40}) and every ping with a pong ({@code 3}), and routes connect, ack and {@code message} events to a
 * {@link SessionListener}. One per connection.
 */
final class SocketIoSessionHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final byte[] MESSAGE_EVENT = FrameScan.ascii("\"message\"");
    private static final String CONNECT_NAMESPACE = "40";
    private static final String PONG = "3";

    private final SessionListener listener;

    SocketIoSessionHandler(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        switch (SocketIoPacket.engineType(content)) {
            case SocketIoPacket.MESSAGE -> onSocketPacket(ctx, content);
            case SocketIoPacket.PING -> ctx.writeAndFlush(new TextWebSocketFrame(PONG));
            case SocketIoPacket.OPEN -> ctx.writeAndFlush(new TextWebSocketFrame(CONNECT_NAMESPACE));
            case SocketIoPacket.CLOSE -> ctx.close();
            default -> {
                // noop (3 pong, 5 upgrade, 6 noop) are not expected on a websocket-only session
            }
        }
    }

    private void onSocketPacket(ChannelHandlerContext ctx, ByteBuf content) {
        switch (SocketIoPacket.socketType(content)) {
            case SocketIoPacket.EVENT -> {
                if (SocketIoPacket.isEvent(content, MESSAGE_EVENT)) {
                    listener.onMessage(ctx.channel(), content);
                }
            }
            case SocketIoPacket.ACK -> listener.onAck(ctx.channel(), SocketIoPacket.ackId(content));
            case SocketIoPacket.CONNECT -> listener.onReady(ctx.channel());
            case SocketIoPacket.CONNECT_ERROR -> listener.onError(ctx.channel(), 0, "connect_error");
            case SocketIoPacket.DISCONNECT -> ctx.close();
            default -> {
                // binary events and acks are not used by the bench
            }
        }
    }
}
