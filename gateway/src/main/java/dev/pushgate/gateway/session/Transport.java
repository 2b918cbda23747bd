package dev.pushgate.gateway.session;

import dev.pushgate.protocol.CloseCode;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/** The connection under a {@link Session}: how it answers and closes. Called on {@link #executor()} only. */
public interface Transport {

    /** Writes and flushes one control frame (ack, error, pong). */
    void send(byte[] frame);

    /** Closes the connection with {@code code}, telling the client when the transport can. */
    void close(CloseCode code);

    /** The connection's event loop: where the session runs and where callbacks must hop to. */
    Executor executor();

    /** Runs {@code task} on {@link #executor()} after {@code delay}. */
    Future<?> schedule(Runnable task, Duration delay);
}
