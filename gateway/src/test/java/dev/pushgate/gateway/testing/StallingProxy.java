package dev.pushgate.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a Redis that can make pub/sub links half-dead: while {@link #stallSubscribers} is on,
 * connections that have sent a {@code SUBSCRIBE} stop receiving anything from Redis (the bytes wait in the proxy, as
 * behind a stalled load balancer), while the connection stays open and every other connection works. Turned off,
 * the waiting bytes flow again. One thread per direction per connection; for tests only.
 */
public final class StallingProxy implements AutoCloseable {
    private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile boolean closed;

    public StallingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code redis://127.0.0.1:<proxy port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** Stalls (or releases) the Redis-to-client direction of every subscribing connection, now and later ones. */
    public void stallSubscribers(boolean on) {
        synchronized (gate) {
            stalled = on;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                boolean[] subscriber = new boolean[1];
                start(() -> pump(client, upstream, subscriber, true));
                start(() -> pump(upstream, client, subscriber, false));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean[] subscriber, boolean towardsRedis) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (towardsRedis && contains(buf, n, SUBSCRIBE)) {
                    synchronized (gate) {
                        subscriber[0] = true;
                    }
                }
                if (!towardsRedis) {
                    awaitReleased(subscriber, from);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a side closed: close the other one below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitReleased(boolean[] subscriber, Socket from) throws InterruptedException {
        synchronized (gate) {
            while (stalled && subscriber[0] && !closed && !from.isClosed()) {
                gate.wait(50); // woken by stallSubscribers; the timeout notices sockets closed meanwhile
            }
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stallSubscribers(false);
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
