package dev.pushgate.bench.load;

import dev.pushgate.bench.net.HttpConnector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes over one keep-alive HTTP connection, one request in flight: every tick (and as soon as an answer
 * arrives) the messages due go out as one JSON array {@code [{"topic":…,"data":…},…]} of at most {@code batch}
 * items. A 200 accepts the whole batch; anything else fails it. State is touched only on the channel's event loop.
 */
final class HttpPublisher extends SimpleChannelInboundHandler<FullHttpResponse> implements Publisher {
    private static final Logger log = LoggerFactory.getLogger(HttpPublisher.class);
    private static final byte[] TOPIC_OPEN = "{\"topic\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnector connector;
    private final URI url;
    private final String apiKey;
    private final PublishContext context;
    private final int stream;
    private final int batch;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Channel channel;
    private PublishPacer pacer;
    private ScheduledFuture<?> timer;
    private long nextN;
    private long batchFirstN;
    private int batchSize;
    private boolean inFlight;
    private boolean errorLogged;
    private volatile boolean finished;
    private volatile boolean closing;

    /** A publisher posting to {@code url} (the full publish URL) with {@code apiKey} (may be null). */
    HttpPublisher(HttpConnector connector, URI url, String apiKey, PublishContext context, int stream, int batch) {
        this.connector = connector;
        this.url = url;
        this.apiKey = apiKey;
        this.context = context;
        this.stream = stream;
        this.batch = batch;
    }

    @Override
    public CompletableFuture<Void> connect() {
        ChannelFuture f = connector.connect(url, this);
        channel = f.channel();
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                ready.complete(null);
            } else {
                ready.completeExceptionally(done.cause());
            }
        });
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
        channel.eventLoop().execute(() -> {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            pacer = null;
        });
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
            return;
        }
        if (pacer == null || inFlight) {
            return;
        }
        long due = Math.min(batch, pacer.due(System.nanoTime()));
        if (due > 0) {
            send((int) due);
        }
        if (pacer.finished()) {
            finished = true;
        }
    }

    private void send(int count) {
        long first = pacer.issued();
        batchFirstN = nextN;
        batchSize = count;
        ByteBuf body = channel.alloc().ioBuffer(count * (context.payload().size() + 48) + 2);
        body.writeByte('[');
        for (int i = 0; i < count; i++) {
            long n = nextN++;
            if (i > 0) {
                body.writeByte(',');
            }
            body.writeBytes(TOPIC_OPEN);
            body.writeCharSequence(context.topics().get(context.topicOf(n)), StandardCharsets.US_ASCII);
            body.writeBytes(DATA_KEY);
            context.payload().write(body, n, stream, context.clock().toEpochMicros(pacer.intendedNanos(first + i)));
            body.writeByte('}');
        }
        body.writeByte(']');
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path(), body);
        request.headers()
                .set(HttpHeaderNames.HOST, url.getAuthority())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (apiKey != null && !apiKey.isEmpty()) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        }
        inFlight = true;
        pacer.issued(count);
        context.stats().sent(count);
        channel.writeAndFlush(request, channel.voidPromise());
    }

    private String path() {
        return url.getRawQuery() == null ? url.getRawPath() : url.getRawPath() + "?" + url.getRawQuery();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        inFlight = false;
        if (response.status().equals(HttpResponseStatus.OK)) {
            for (int i = 0; i < batchSize; i++) {
                context.stats().accepted(context.topicOf(batchFirstN + i));
            }
        } else {
            context.stats().failed(batchSize);
            if (!errorLogged) {
                errorLogged = true;
                log.warn("http publish refused: status={} body={}", response.status().code(),
                        response.content().toString(StandardCharsets.UTF_8));
            }
        }
        batchSize = 0;
        tick();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finished = true;
        if (inFlight) {
            context.stats().failed(batchSize);
            inFlight = false;
        }
        if (!closing) {
            log.warn("http publisher connection closed: stream={}", stream);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("http publisher error: stream={} error={}", stream, cause.toString());
        ctx.close();
    }
}
