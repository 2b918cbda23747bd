package dev.pushgate.bench.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketIoTest {
    private static final byte[] MESSAGE = "\"message\"".getBytes(StandardCharsets.US_ASCII);
    private final Dialect dialect = Target.SOCKETIO.dialect();

    @Test
    void packetTypesAndAckIdsAreRead() {
        ByteBuf ack = buf("431[{\"ok\":true}]");
        ByteBuf event = buf("42[\"message\",{\"topic\":\"t\",\"data\":1}]");
        ByteBuf eventWithId = buf("4217[\"message\",{}]");
        ByteBuf other = buf("42[\"messages\",{}]");
        ByteBuf ping = buf("2");
        ByteBuf empty = buf("");
        try {
            assertEquals(SocketIoPacket.MESSAGE, SocketIoPacket.engineType(ack));
            assertEquals(SocketIoPacket.ACK, SocketIoPacket.socketType(ack));
            assertEquals(1, SocketIoPacket.ackId(ack));
            assertEquals(-1, SocketIoPacket.ackId(event));
            assertTrue(SocketIoPacket.isEvent(event, MESSAGE));
            assertTrue(SocketIoPacket.isEvent(eventWithId, MESSAGE));
            assertEquals(17, SocketIoPacket.ackId(eventWithId));
            assertFalse(SocketIoPacket.isEvent(other, MESSAGE));
            assertFalse(SocketIoPacket.isEvent(ack, MESSAGE));
            assertEquals(SocketIoPacket.PING, SocketIoPacket.engineType(ping));
            assertEquals(-1, SocketIoPacket.socketType(ping));
            assertEquals(-1, SocketIoPacket.engineType(empty));
        } finally {
            for (ByteBuf b : List.of(ack, event, eventWithId, other, ping, empty)) {
                b.release();
            }
        }
    }

    @Test
    void subscribeAndPublishAreEventsWithAckIds() {
        ByteBuf out = Unpooled.buffer();
        try {
            dialect.writeSubscribe(out, 1, "bench.t");
            assertEquals("421[\"subscribe\",\"bench.t\"]", out.toString(StandardCharsets.US_ASCII));
            out.clear();
            dialect.writePublishHead(out, 42, "bench.t");
            out.writeCharSequence("{\"n\":0}", StandardCharsets.US_ASCII);
            dialect.writePublishTail(out);
            assertEquals("4242[\"publish\",{\"topic\":\"bench.t\",\"data\":{\"n\":0}}]",
                    out.toString(StandardCharsets.US_ASCII));
            out.clear();
            SocketIoPacket.writeEventHead(out, -1, "x");
            SocketIoPacket.writeEventTail(out);
            assertEquals("42[\"x\",]", out.toString(StandardCharsets.US_ASCII), "head and tail only, no args");
        } finally {
            out.release();
        }
    }

    @Test
    void theEndpointGetsTheEngineIoPathAndQuery() {
        assertEquals(URI.create("ws://h:3000/socket.io/?EIO=4&transport=websocket"),
                dialect.endpoint(URI.create("ws://h:3000")));
        assertEquals(URI.create("ws://h:3000/socket.io/?EIO=4&transport=websocket"),
                dialect.endpoint(URI.create("ws://h:3000/socket.io/?EIO=4&transport=websocket")));
        assertEquals("/publish", dialect.httpPublishPath());
    }

    @Test
    void theHandlerConnectsTheNamespaceAnswersPingsAndRoutesEvents() {
        RecordingListener listener = new RecordingListener();
        EmbeddedChannel ch = new EmbeddedChannel(dialect.newSessionHandler(listener));

        ch.writeInbound(frame("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}"));
        assertEquals("40", readOutbound(ch));
        ch.writeInbound(frame("40{\"sid\":\"def\"}"));
        ch.writeInbound(frame("2"));
        assertEquals("3", readOutbound(ch));
        ch.writeInbound(frame("431[{\"ok\":true}]"));
        ch.writeInbound(frame("42[\"message\",{\"topic\":\"t\",\"data\":{\"n\":1}}]"));
        ch.writeInbound(frame("42[\"other\",1]"));
        ch.writeInbound(frame("44{\"message\":\"nope\"}"));

        assertEquals(List.of("ready", "ack 1", "message 42[\"message\",{\"topic\":\"t\",\"data\":{\"n\":1}}]",
                "error 0 connect_error"), listener.events);
        assertNull(ch.readOutbound());
        ch.writeInbound(frame("1"));
        assertFalse(ch.isOpen(), "an Engine.IO close closes the connection");
        assertFalse(ch.finish());
    }

    private static String readOutbound(EmbeddedChannel ch) {
        TextWebSocketFrame f = ch.readOutbound();
        try {
            return f.text();
        } finally {
            f.release();
        }
    }

    private static TextWebSocketFrame frame(String text) {
        return new TextWebSocketFrame(text);
    }

    private static ByteBuf buf(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
