package dev.pushgate.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP proxy in front of a gateway that behaves like a middlebox that breaks some transports: while
 * {@link #blockWebSockets} is on, a WebSocket upgrade gets 403 (plain HTTP still passes); while {@link #blockSse} is
 * on, {@code GET /sse} gets 502. Every other request is forwarded with {@code Connection: close}, so each request is
 * judged on its own connection. {@link #cutAll} drops every open connection (a network failure, as the browser
 * sees it). One thread per direction per connection; for tests only.
 */
final class BlockingHttpProxy implements AutoCloseable {
    private final ServerSocket server;
    private volatile int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The request line of every client connection being forwarded, until it ends. */
    private final Map<Socket, String> forwarding = new ConcurrentHashMap<>();
    private volatile boolean blockWebSockets;
    private volatile boolean blockSse;
    private volatile boolean closed;

    BlockingHttpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "blocking-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:<proxy port>}. */
    String httpUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** New connections go to the gateway on {@code port} (open ones stay where they are). */
    void retarget(int port) {
        targetPort = port;
    }

    void blockWebSockets(boolean on) {
        blockWebSockets = on;
    }

    void blockSse(boolean on) {
        blockSse = on;
    }

    /** Whether a request whose request line starts with {@code prefix} (e.g. {@code "GET /poll"}) is being forwarded. */
    boolean forwarding(String prefix) {
        return forwarding.values().stream().anyMatch(line -> line.startsWith(prefix));
    }

    /** Closes every connection going through the proxy; new ones are accepted as before. */
    void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "blocking-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                closeQuietly(client);
                return;
            }
            String lower = head.toLowerCase(Locale.ROOT);
            boolean upgrade = lower.contains("\nupgrade: websocket");
            String target = head.substring(0, head.indexOf("\r\n"));
            if (upgrade && blockWebSockets) {
                refuse(client, "403 Forbidden");
                return;
            }
            if (blockSse && target.startsWith("GET /sse")) {
                refuse(client, "502 Bad Gateway");
                return;
            }
            if (!upgrade) {
                head = withConnectionClose(head);
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(upstream);
            upstream.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            Thread up = new Thread(() -> pipe(in, upstream, client), "blocking-proxy-up");
            up.setDaemon(true);
            forwarding.put(client, target);
            up.start();
            try {
                pipe(upstream.getInputStream(), client, upstream);
            } finally {
                forwarding.remove(client);
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void refuse(Socket client, String status) throws IOException {
        String body = "blocked by the test proxy";
        String response = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        client.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
        closeQuietly(client);
    }

    private static String withConnectionClose(String head) {
        StringBuilder b = new StringBuilder();
        for (String line : head.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
                continue;
            }
            b.append(line).append("\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    /** The request head up to and including the blank line, or null when the connection ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 65536) {
                return null;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void pipe(InputStream from, Socket to, Socket source) {
        byte[] buf = new byte[16384];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(to);
            closeQuietly(source);
            sockets.remove(to);
            sockets.remove(source);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }
}
