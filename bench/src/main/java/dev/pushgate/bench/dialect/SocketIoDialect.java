package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The Socket.IO peer's protocol: emit {@code subscribe} with the topic and {@code publish} with
 * {@code {"topic":…,"data":…}}, both with an ack id; receive {@code message} events {@code {"topic":…,"data":…}}.
 */
final class SocketIoDialect implements Dialect {
    private static final String PATH = "/socket.io/";
    private static final String QUERY = "EIO=4&transport=websocket";
    private static final byte[] TOPIC_OPEN = FrameScan.ascii("{\"topic\":");
    private static final byte[] DATA_KEY = FrameScan.ascii(",\"data\":");

    @Override
    public URI endpoint(URI given) {
        String path = given.getPath() == null || given.getPath().isEmpty() || given.getPath().equals("/")
                ? PATH : given.getPath();
        String query = given.getQuery() == null ? QUERY : given.getQuery();
        try {
            return new URI(given.getScheme(), given.getUserInfo(), given.getHost(), given.getPort(), path, query,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad url: " + given, e);
        }
    }

    @Override
    public String httpPublishPath() {
        return "/publish";
    }

    @Override
    public ChannelHandler newSessionHandler(SessionListener listener) {
        return new SocketIoSessionHandler(listener);
    }

    @Override
    public void writeSubscribe(ByteBuf out, long id, String topic) {
        SocketIoPacket.writeEventHead(out, id, "subscribe");
        FrameScan.writeQuoted(out, topic);
        SocketIoPacket.writeEventTail(out);
    }

    @Override
    public void writePublishHead(ByteBuf out, long id, String topic) {
        SocketIoPacket.writeEventHead(out, id, "publish");
        out.writeBytes(TOPIC_OPEN);
        FrameScan.writeQuoted(out, topic);
        out.writeBytes(DATA_KEY);
    }

    @Override
    public void writePublishTail(ByteBuf out) {
        out.writeByte('}');
        SocketIoPacket.writeEventTail(out);
    }
}
