package dev.pushgate.gateway.session;

import dev.pushgate.protocol.CloseCode;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * Keeps a connection's answers in request order (PROTOCOL.md): a request answered later (a publish waits for the
 * channel layer) takes a {@link Slot}, and every answer after it waits until it is filled. Answers with nothing
 * pending go out at once. {@code subscribe} answers do not go through here (they come when the subscription is
 * active, documented as the exception). As a {@link Transport} it orders everything sent through it, a close
 * included, behind the pending slots. Loop-confined; bounded by the requests in flight (publishes, which the rate
 * limit and the broker's command timeout bound).
 */
final class ReplyQueue implements Transport {
    private final Transport transport;
    /** Small at first (most connections have at most one request in flight); it grows as needed. */
    private final ArrayDeque<Slot> pending = new ArrayDeque<>(2);

    /** A place in the answer order for one request answered later. */
    static final class Slot {
        private byte[] frame;
        private CloseCode close;
        private boolean filled;
    }

    ReplyQueue(Transport transport) {
        this.transport = transport;
    }

    /** Reserves the next place in the order. */
    Slot reserve() {
        Slot s = new Slot();
        pending.addLast(s);
        return s;
    }

    /** Fills {@code slot} with its answer and sends every answer that no longer waits. */
    void answer(Slot slot, byte[] frame) {
        slot.frame = frame;
        slot.filled = true;
        drain();
    }

    /** Answers in order: at once when nothing is pending, else after the pending ones. */
    @Override
    public void send(byte[] frame) {
        if (pending.isEmpty()) {
            transport.send(frame);
            return;
        }
        Slot s = reserve();
        answer(s, frame);
    }

    /** Closes once every earlier answer is out. */
    @Override
    public void close(CloseCode code) {
        if (pending.isEmpty()) {
            transport.close(code);
            return;
        }
        Slot s = reserve();
        s.close = code;
        s.filled = true;
    }

    @Override
    public Executor executor() {
        return transport.executor();
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return transport.schedule(task, delay);
    }

    /** Answers waiting for an earlier one (for tests). */
    int waiting() {
        return pending.size();
    }

    private void drain() {
        while (!pending.isEmpty() && pending.peekFirst().filled) {
            Slot s = pending.pollFirst();
            if (s.frame != null) {
                transport.send(s.frame);
            }
            if (s.close != null) {
                transport.close(s.close);
            }
        }
    }
}
