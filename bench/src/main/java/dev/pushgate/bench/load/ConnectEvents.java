package dev.pushgate.bench.load;

/**
 * Where a connection reports, exactly once, that it became ready or failed. Called on the connection's event loop;
 * implementations are thread-safe and do not block.
 */
interface ConnectEvents {
    /** The connection subscribed to topic number {@code topicIndex} (or handshook, when idle). */
    void ready(int topicIndex, long handshakeNanos);

    /** The connection failed before it was ready; {@code cause} may be {@code null} (closed without error). */
    void failed(Throwable cause);

    /** The server refused the subscription or the connect with {@code code}. */
    void failed(String code);
}
