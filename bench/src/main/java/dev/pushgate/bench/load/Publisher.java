package dev.pushgate.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * A source of benchmark messages for one stream: connects, then publishes what a {@link PublishPacer} says is due
 * on every timer tick (every millisecond at its event loop). Message numbers {@code n} keep increasing across
 * pacers, so order checks span measurement windows. Every message counts as sent when written and as accepted or
 * failed when the server answers. Methods are thread-safe (they hop to the publisher's event loop).
 */
public interface Publisher {
    /** Connects; completes when the publisher can send, exceptionally when it cannot. */
    CompletableFuture<Void> connect();

    /** Starts publishing what {@code pacer} makes due, replacing any previous pacer. */
    void start(PublishPacer pacer);

    /** Stops the timer; answers to messages already sent still count. */
    void stop();

    /** Whether the current pacer has issued all its messages, or the publisher can no longer send. */
    boolean finished();

    /** Closes the connection. */
    void close();
}
