package dev.pushgate.gateway.transport;

import dev.pushgate.protocol.CloseCode;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientFaultsTest {
    @Test
    void whatAClientCanCauseIsClientCaused() {
        assertTrue(ClientFaults.clientCaused(new IOException("Connection reset by peer")));
        assertTrue(ClientFaults.clientCaused(new DecoderException(new SSLHandshakeException("bad"))));
        assertTrue(ClientFaults.clientCaused(new PrematureChannelClosureException("closed while aggregating")));
        assertTrue(ClientFaults.clientCaused(new TooLongFrameException("big")));
        assertTrue(ClientFaults.clientCaused(new DecompressionException("Decompression buffer has reached maximum size")));
        assertTrue(ClientFaults.clientCaused(new DecoderException(new DecompressionException("wrapped"))));
        assertTrue(ClientFaults.clientCaused(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "x")));
        assertTrue(ClientFaults.clientCaused(new DecoderException("bad input")));
    }

    @Test
    void ourOwnBugsAreNot() {
        assertFalse(ClientFaults.clientCaused(new NullPointerException()));
        assertFalse(ClientFaults.clientCaused(new IllegalStateException("boom")));
        assertFalse(ClientFaults.clientCaused(new DecoderException(new NullPointerException())), "a bug inside a decoder");
        assertFalse(ClientFaults.clientCaused(new OutOfMemoryError("Direct buffer memory")));
    }

    @Test
    void closeCodes() {
        assertEquals(CloseCode.MESSAGE_TOO_BIG, ClientFaults.closeCode(new DecompressionException("maximum size")));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, ClientFaults.closeCode(new DecoderException(new DecompressionException("maximum size"))));
        assertEquals(CloseCode.INVALID_PAYLOAD, ClientFaults.closeCode(
                new DecompressionException("decompression failure", new DataFormatException("invalid block type"))));
        assertEquals(CloseCode.INVALID_PAYLOAD, ClientFaults.closeCode(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "utf-8")));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, ClientFaults.closeCode(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG, "frame")));
        assertEquals(CloseCode.PROTOCOL_ERROR, ClientFaults.closeCode(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "opcode")));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, ClientFaults.closeCode(new TooLongFrameException("message")));
        assertEquals(CloseCode.PROTOCOL_ERROR, ClientFaults.closeCode(new DecoderException("other")));
    }
}
