package dev.pushgate.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately dumb WebSocket peer on a plain socket: it upgrades, then does only what the test tells it (never
 * answers pings by itself). Used to play dead peers and protocol breakers; reads server frames to find the Close.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String handshake;

    public RawWebSocket(int port, String path) throws IOException {
        this(port, path, 0);
    }

    /** With extra request header lines ({@code "Name: value\r\n"} each), e.g. a permessage-deflate offer. */
    public RawWebSocket(int port, String path, String extraHeaders) throws IOException {
        this(port, path, 0, extraHeaders);
    }

    /** With {@code receiveBuffer > 0}, a small socket receive buffer, so a peer that stops reading fills up fast. */
    public RawWebSocket(int port, String path, int receiveBuffer) throws IOException {
        this(port, path, receiveBuffer, "");
    }

    /**
     * Sends the upgrade request and {@code earlyTexts} as final text frames in one write, before the 101 arrives (a
     * client that does not wait for the handshake, against RFC 6455 section 4.1; the server must not lose them).
     */
    public static RawWebSocket withEarlyFrames(int port, String path, String... earlyTexts) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (String t : earlyTexts) {
            frames.write(frame(0x81, t.getBytes(StandardCharsets.UTF_8)));
        }
        return withEarlyBytes(port, path, frames.toByteArray());
    }

    /** Sends the upgrade request and {@code early} (any bytes) in one write, before the 101 arrives. */
    public static RawWebSocket withEarlyBytes(int port, String path, byte[] early) throws IOException {
        return new RawWebSocket(port, path, 0, "", early);
    }

    private RawWebSocket(int port, String path, int receiveBuffer, String extraHeaders) throws IOException {
        this(port, path, receiveBuffer, extraHeaders, new byte[0]);
    }

    private RawWebSocket(int port, String path, int receiveBuffer, String extraHeaders, byte[] early)
            throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\n" + extraHeaders + "\r\n";
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.write(request.getBytes(StandardCharsets.US_ASCII));
        first.write(early);
        out.write(first.toByteArray());
        out.flush();
        handshake = readHeaders();
        String status = handshake.substring(0, handshake.indexOf("\r\n"));
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during handshake");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The server's 101 response head (status line and headers). */
    public String handshake() {
        return handshake;
    }

    /** Sends one masked frame with the given first byte (FIN/RSV/opcode) and payload. */
    public void sendFrame(int firstByte, byte[] payload) throws IOException {
        out.write(frame(firstByte, payload));
        out.flush();
    }

    /** Sends final text frames, all in one write (so the server reads them together: pipelining). */
    public void sendTexts(String... texts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String t : texts) {
            all.write(frame(0x81, t.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** A server frame: opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads the next server frame, or null on end of stream; fails after {@code wait}. */
    public Frame readFrame(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        int b0;
        try {
            b0 = in.read();
        } catch (SocketTimeoutException e) {
            throw new IOException("no frame within " + wait, e);
        }
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a Close (returns it) or the end of the stream (returns null); counts Close frames seen. */
    public Frame awaitClose(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Frame f = readFrame(Duration.ofMillis(left));
            if (f == null || f.opcode() == 8) {
                return f;
            }
        }
    }

    /** After a Close, whether anything but end-of-stream follows within {@code wait} (a second Close would). */
    public Frame readAfterClose(Duration wait) throws IOException {
        try {
            return readFrame(wait);
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends raw bytes as they are (half a frame, say). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Resets the connection (TCP RST instead of FIN). */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
