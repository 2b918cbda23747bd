package dev.pushgate.gateway.transport;

import dev.pushgate.protocol.CloseCode;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.timeout.TimeoutException;

import java.io.IOException;
import java.util.zip.DataFormatException;

/**
 * Sorts the exceptions that reach the end of the pipeline: those a client can cause by what it sends or by how it
 * goes away (logged at DEBUG, never with a stack trace) from faults of the gateway (WARN with the stack trace), and
 * picks the close code for the client-caused ones that end a WebSocket. Stateless.
 */
final class ClientFaults {
    private static final int MAX_DEPTH = 8;

    private ClientFaults() {
    }

    /**
     * Whether {@code cause} is the client's doing: I/O errors (resets, broken pipes, TLS alerts and handshake
     * failures), a connection closed in the middle of a request, malformed or oversized frames and messages,
     * compressed data that is corrupt or inflates past the limit, timeouts; a decoder exception counts when what it
     * wraps does (or it wraps nothing: Netty's codecs raise it for bad input).
     */
    static boolean clientCaused(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof IOException || t instanceof PrematureChannelClosureException
                    || t instanceof TooLongFrameException || t instanceof CorruptedFrameException
                    || t instanceof DecompressionException || t instanceof TimeoutException) {
                return true;
            }
            if (!(t instanceof DecoderException)) {
                return false;
            }
            if (t.getCause() == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The close code for a client-caused fault of an open WebSocket: the status Netty's frame decoder or UTF-8
     * validator chose, 1009 for a message or inflated frame over the limit, 1007 for compressed data that does not
     * inflate, 1002 for anything else.
     */
    static CloseCode closeCode(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof CorruptedWebSocketFrameException e) {
                int status = e.closeStatus().code();
                return status == CloseCode.INVALID_PAYLOAD.code() ? CloseCode.INVALID_PAYLOAD
                        : status == CloseCode.MESSAGE_TOO_BIG.code() ? CloseCode.MESSAGE_TOO_BIG
                        : CloseCode.PROTOCOL_ERROR;
            }
            if (t instanceof DecompressionException) {
                // Netty's zlib decoder: corrupt data carries the DataFormatException, the size limit carries nothing.
                return t.getCause() instanceof DataFormatException ? CloseCode.INVALID_PAYLOAD : CloseCode.MESSAGE_TOO_BIG;
            }
            if (t instanceof TooLongFrameException) {
                return CloseCode.MESSAGE_TOO_BIG;
            }
        }
        return CloseCode.PROTOCOL_ERROR;
    }
}
