package dev.pushgate.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * HTTP/1.1 flow control: at most one request in flight per connection. Once a whole request has been passed on,
 * nothing more is decoded or read until its final response (a non-1xx {@link LastHttpContent}, e.g. a
 * {@code FullHttpResponse}) has been written to the socket, so a client that pipelines requests and never reads
 * holds one response in memory, not thousands, and answers leave in request order even when an endpoint answers
 * asynchronously. Nothing is read either while the channel is not writable, nor after a response that closes the
 * connection.
 * <p>
 * Two handlers: this one right behind the HTTP codec, and its {@link #gate()} right in front of it. Auto-read is
 * off while they are in the pipeline. The gate hands the codec the bytes already read in pieces of at most
 * {@value #SLICE} bytes that end where a request head ends, and holds the rest while a request is in flight, so the
 * codec never decodes past the request it is on (pipelined requests wait here as bytes).
 * Read-complete events go on only after reads that brought bytes, so the handlers behind can take one as input.
 * Both are removed after a WebSocket upgrade: auto-read is on again, bytes the gate still holds go on to the
 * WebSocket decoder (frames a client sent with its upgrade request; requests pipelined behind it are not HTTP to
 * the WebSocket decoder, which closes with 1002).
 * Per channel; event loop only.
 */
final class HttpFlowControlHandler extends ChannelDuplexHandler {
    /** Largest piece of input handed to the codec at once: 64 requests of the smallest kind at most. */
    static final int SLICE = 1024;

    private final Gate gate = new Gate();
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** A request has been passed on and its final response is not written yet. */
    private boolean inFlight;
    /** The in-flight request's last part has been passed on. */
    private boolean complete;
    /** The response being written is informational (1xx: 100 Continue, 101 Switching Protocols). */
    private boolean informational;
    /** The response being written ends the connection ({@code Connection: close}): nothing more is passed on. */
    private boolean closing;
    private boolean draining;

    /** The handler that goes right in front of the HTTP codec. */
    ChannelHandler gate() {
        return gate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = waiting.poll()) != null) {
            if (msg instanceof HttpObject || !ctx.channel().isActive()) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        readIfWanted(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!waiting.isEmpty() || (inFlight && complete)) {
            waiting.add(msg);
            return;
        }
        pass(ctx, msg);
    }

    /** Passed on only after a read that brought bytes, so behind this handler a read-complete means input. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (gate.fed) {
            gate.fed = false;
            ctx.fireChannelReadComplete();
        }
        readIfWanted(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        readIfWanted(ctx);
    }

    /** Reads asked for further down the pipeline (the aggregator's, for the rest of a request) only when wanted. */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (wantsInput(ctx)) {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            closing |= !informational && !HttpUtil.isKeepAlive(response);
        }
        if (msg instanceof LastHttpContent && !informational) {
            ChannelPromise written = promise.unvoid();
            written.addListener(f -> {
                if (f.isSuccess()) {
                    responseWritten(ctx);
                }
            });
            ctx.write(msg, written);
            return;
        }
        ctx.write(msg, promise);
    }

    private void responseWritten(ChannelHandlerContext ctx) {
        inFlight = false;
        complete = false;
        if (draining || closing || ctx.isRemoved()) {
            // An answer written at once while a waiting request was being passed on: that loop goes on.
            return;
        }
        draining = true;
        try {
            boolean passed = false;
            while (!waiting.isEmpty() && !(inFlight && complete)) {
                pass(ctx, waiting.poll());
                passed = true;
            }
            if (passed) {
                ctx.fireChannelReadComplete();
            }
            gate.feed(true);
        } finally {
            draining = false;
        }
        readIfWanted(ctx);
    }

    private void pass(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight = true;
            complete = false;
        }
        if (msg instanceof LastHttpContent) {
            complete = true;
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether the codec may decode more: nothing waits here and no whole request is in flight. */
    private boolean acceptsBytes() {
        return !closing && waiting.isEmpty() && !(inFlight && complete);
    }

    private boolean wantsInput(ChannelHandlerContext ctx) {
        return acceptsBytes() && gate.held.isEmpty() && ctx.channel().isWritable();
    }

    private void readIfWanted(ChannelHandlerContext ctx) {
        if (wantsInput(ctx) && !ctx.isRemoved()) {
            ctx.read();
        }
    }

    /** In front of the codec: hands it read bytes a slice at a time, only while it may decode more. */
    private final class Gate extends ChannelDuplexHandler {
        private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
        private ChannelHandlerContext ctx;
        private boolean feeding;
        /** Bytes went to the codec since the last read-complete. */
        boolean fed;

        /** Bytes of the current line so far, CR not counted (carried across pieces and reads). */
        private int lineBytes;
        /** Stops at the LF that ends an HTTP head (an empty line), counting up to it. */
        private int pieceEnd;
        private final ByteProcessor headEnd = c -> {
            pieceEnd++;
            if (c == '\n') {
                boolean empty = lineBytes == 0;
                lineBytes = 0;
                return !empty;
            }
            if (c != '\r') {
                lineBytes++;
            }
            return true;
        };

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        /**
         * How many of the next {@code max} bytes go to the codec as one piece: up to the end of a request head if one
         * ends among them. The codec then never holds bytes past a head: what follows an upgrade request (frames a
         * client sent before the 101, against RFC 6455 4.1 but seen in the wild) stays here and goes to the WebSocket
         * decoder, and each pipelined request is decoded only when the one before it was answered. Bodies may be cut
         * at an empty line too; the codec does not mind where its input is cut.
         */
        private int pieceLength(ByteBuf b, int max) {
            pieceEnd = 0;
            b.forEachByte(b.readerIndex(), max, headEnd);
            return pieceEnd;
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            ByteBuf b;
            while ((b = held.poll()) != null) {
                if (ctx.channel().isActive()) {
                    ctx.fireChannelRead(b);
                } else {
                    b.release();
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            held.add(buf);
            feed(false);
        }

        /** A read the codec asks for (it needs more of a request): what is held comes first. */
        @Override
        public void read(ChannelHandlerContext ctx) {
            feed(true);
            if (held.isEmpty()) {
                ctx.read();
            }
        }

        /** Hands held bytes to the codec while it may decode more; {@code outsideRead}: end with a read-complete. */
        void feed(boolean outsideRead) {
            if (feeding || ctx == null || ctx.isRemoved()) {
                return;
            }
            feeding = true;
            boolean fedNow = false;
            try {
                while (!held.isEmpty() && acceptsBytes()) {
                    ByteBuf b = held.peek();
                    ByteBuf slice = b.readRetainedSlice(pieceLength(b, Math.min(SLICE, b.readableBytes())));
                    if (!b.isReadable()) {
                        held.poll().release();
                    }
                    fedNow = true;
                    this.fed = true;
                    ctx.fireChannelRead(slice);
                }
            } finally {
                feeding = false;
            }
            if (fedNow && outsideRead) {
                ctx.fireChannelReadComplete();
            }
        }
    }
}
