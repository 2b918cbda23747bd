package dev.pushgate.bench.load;

import dev.pushgate.bench.net.WebSocketConnector;
import dev.pushgate.bench.dialect.Dialect;
import dev.pushgate.bench.dialect.SessionListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes over a WebSocket connection with the dialect's publish request; request id {@code n + 1} lets the ack
 * name the message (and so its topic). Writes while the channel is writable and flushes once per tick. State is
 * touched only on the channel's event loop.
 */
final class WsPublisher implements Publisher, SessionListener {
    private static final Logger log = LoggerFactory.getLogger(WsPublisher.class);

    private final WebSocketConnector connector;
    private final URI url;
    private final PublishContext context;
    private final int stream;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Channel channel;
    private PublishPacer pacer;
    private ScheduledFuture<?> timer;
    private long nextN;
    private boolean errorLogged;
    private volatile boolean finished;
    private volatile boolean closing;

    WsPublisher(WebSocketConnector connector, URI url, PublishContext context, int stream) {
        this.connector = connector;
        this.url = url;
        this.context = context;
        this.stream = stream;
    }

    @Override
    public CompletableFuture<Void> connect() {
        channel = connector.connect(url, null, this).channel();
        return ready;
    }

    @Override
    public void start(PublishPacer newPacer) {
        finished = false;
        channel.eventLoop().execute(() -> {
            pacer = newPacer;
            if (timer == null) {
                timer = channel.eventLoop().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void stop() {
        channel.eventLoop().execute(this::cancelTimer);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public void close() {
        closing = true;
        channel.close();
    }

    private void tick() {
        if (!channel.isActive()) {
            finished = true;
            cancelTimer();
            return;
        }
        long due = pacer.due(System.nanoTime());
        long first = pacer.issued();
        int written = 0;
        Dialect dialect = connector.dialect();
        while (written < due && channel.isWritable()) {
            long n = nextN++;
            ByteBuf buf = channel.alloc().ioBuffer(context.payload().size() + 96);
            dialect.writePublishHead(buf, n + 1, context.topics().get(context.topicOf(n)));
            context.payload().write(buf, n, stream, context.clock().toEpochMicros(pacer.intendedNanos(first + written)));
            dialect.writePublishTail(buf);
            channel.write(new TextWebSocketFrame(buf), channel.voidPromise());
            written++;
        }
        if (written > 0) {
            pacer.issued(written);
            context.stats().sent(written);
            channel.flush();
        }
        if (pacer.finished()) {
            finished = true;
            cancelTimer();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void onReady(Channel ch) {
        ready.complete(null);
    }

    @Override
    public void onAck(Channel ch, long id) {
        if (id > 0) {
            context.stats().accepted(context.topicOf(id - 1));
        }
    }

    @Override
    public void onMessage(Channel ch, ByteBuf frame) {
        // publishers do not subscribe
    }

    @Override
    public void onError(Channel ch, long id, String code) {
        context.stats().failed(1);
        if (!errorLogged) {
            errorLogged = true;
            log.warn("publish refused: stream={} id={} code={}{}", stream, id, code, "rate_limited".equals(code)
                    ? " (raise the gateway's limits.messages-per-second and limits.messages-burst for benches)" : "");
        }
    }

    @Override
    public void onClosed(Channel ch, Throwable cause) {
        finished = true;
        if (ready.completeExceptionally(cause != null ? cause : new IllegalStateException("closed before ready"))
                || closing) {
            return;
        }
        log.warn("publisher connection closed: stream={} error={}", stream, cause == null ? "none" : cause.toString());
    }
}
