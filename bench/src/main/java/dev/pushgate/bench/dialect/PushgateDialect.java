package dev.pushgate.bench.dialect;

import dev.pushgate.bench.payload.AsciiNumbers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * pushgate's protocol: {@code {"op":"subscribe","id":1,"topic":"t"}} and
 * {@code {"op":"publish","id":3,"topic":"t","data":…}} out; {@code connected}, {@code ack}, {@code message},
 * {@code error} in.
 */
final class PushgateDialect implements Dialect {
    private static final byte[] SUBSCRIBE_HEAD = FrameScan.ascii("{\"op\":\"subscribe\",\"id\":");
    private static final byte[] PUBLISH_HEAD = FrameScan.ascii("{\"op\":\"publish\",\"id\":");
    private static final byte[] TOPIC_KEY = FrameScan.ascii(",\"topic\":");
    private static final byte[] DATA_KEY = FrameScan.ascii(",\"data\":");

    @Override
    public URI endpoint(URI given) {
        if (given.getPath() != null && !given.getPath().isEmpty()) {
            return given;
        }
        try {
            return new URI(given.getScheme(), given.getUserInfo(), given.getHost(), given.getPort(), "/ws",
                    given.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad url: " + given, e);
        }
    }

    @Override
    public String httpPublishPath() {
        return "/api/publish";
    }

    @Override
    public ChannelHandler newSessionHandler(SessionListener listener) {
        return new PushgateSessionHandler(listener);
    }

    @Override
    public void writeSubscribe(ByteBuf out, long id, String topic) {
        out.writeBytes(SUBSCRIBE_HEAD);
        AsciiNumbers.write(out, id);
        out.writeBytes(TOPIC_KEY);
        FrameScan.writeQuoted(out, topic);
        out.writeByte('}');
    }

    @Override
    public void writePublishHead(ByteBuf out, long id, String topic) {
        out.writeBytes(PUBLISH_HEAD);
        AsciiNumbers.write(out, id);
        out.writeBytes(TOPIC_KEY);
        FrameScan.writeQuoted(out, topic);
        out.writeBytes(DATA_KEY);
    }

    @Override
    public void writePublishTail(ByteBuf out) {
        out.writeByte('}');
    }
}
