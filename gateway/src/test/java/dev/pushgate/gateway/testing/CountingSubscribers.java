package dev.pushgate.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many cheap subscribers on one Netty event loop, for load-shaped tests where the JDK client would be the
 * bottleneck. Each checks that message data field {@code "i"} rises by one (order, no loss) by scanning bytes, and
 * records end-to-end latency from the {@code "t"} (epoch millis) field.
 */
public final class CountingSubscribers implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Counter> counters = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    /** Per-connection tallies; written on the client loop, read after {@link #awaitAll}. */
    public static final class Counter {
        public volatile int next;
        public volatile String violation;
        public final long[] latencyMillis;
        final CountDownLatch done;
        final int expected;

        Counter(int expected) {
            this.expected = expected;
            this.latencyMillis = new long[expected];
            this.done = new CountDownLatch(1);
        }
    }

    /** Connects {@code n} subscribers to {@code topic} and waits for every ack. */
    public CountingSubscribers(String url, String topic, int n, int expectedMessages) throws Exception {
        URI uri = URI.create(url);
        CountDownLatch acked = new CountDownLatch(n);
        for (int k = 0; k < n; k++) {
            Counter c = new Counter(expectedMessages);
            counters.add(c);
            WebSocketClientProtocolHandler protocol = new WebSocketClientProtocolHandler(
                    WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
                            new DefaultHttpHeaders(), 1 << 16));
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel sc) {
                            sc.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), protocol,
                                    new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                                ctx.writeAndFlush(new TextWebSocketFrame(
                                                        "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"" + topic + "\"}"));
                                            }
                                        }

                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                            onFrame(c, f.content(), acked);
                                        }
                                    });
                        }
                    }).connect(uri.getHost(), uri.getPort()).sync().channel();
            channels.add(ch);
        }
        if (!acked.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("subscriptions not acked: " + acked.getCount() + " left");
        }
    }

    private static void onFrame(Counter c, ByteBuf content, CountDownLatch acked) {
        // Only the head matters ("op", then data's leading "i" and "t"): no full decode of large frames.
        String text = content.toString(content.readerIndex(), Math.min(160, content.readableBytes()),
                StandardCharsets.UTF_8);
        if (text.startsWith("{\"op\":\"ack\"")) {
            acked.countDown();
            return;
        }
        if (!text.startsWith("{\"op\":\"message\"")) {
            return;
        }
        int i = (int) number(text, "\"i\":");
        long t = number(text, "\"t\":");
        if (i != c.next && c.violation == null) {
            c.violation = "expected i=" + c.next + " got " + i;
        }
        if (i < c.expected) {
            c.latencyMillis[i] = Math.max(0, System.currentTimeMillis() - t);
        }
        c.next = i + 1;
        if (c.next == c.expected) {
            c.done.countDown();
        }
    }

    private static long number(String text, String key) {
        int at = text.indexOf(key) + key.length();
        long v = 0;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            v = v * 10 + (text.charAt(at++) - '0');
        }
        return v;
    }

    /**
     * Waits until every subscriber saw all messages, or until none made progress for {@code stallSeconds} (on a busy
     * machine delivery is slow but keeps going; a lost or closed subscriber stops for good), at most ten times that
     * in all. Returns the counters.
     */
    public List<Counter> awaitAll(long stallSeconds) throws InterruptedException {
        long stall = TimeUnit.SECONDS.toNanos(stallSeconds);
        long hardDeadline = System.nanoTime() + 10 * stall;
        long lastProgress = System.nanoTime();
        long lastTotal = -1;
        while (System.nanoTime() < hardDeadline) {
            long total = 0;
            boolean allDone = true;
            for (Counter c : counters) {
                total += c.next;
                allDone &= c.done.getCount() == 0;
            }
            if (allDone) {
                break;
            }
            if (total != lastTotal) {
                lastTotal = total;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall) {
                break;
            }
            counters.get(0).done.await(100, TimeUnit.MILLISECONDS);
        }
        return counters;
    }

    /** Connections still open (for failure messages). */
    public long openCount() {
        return channels.stream().filter(Channel::isActive).count();
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }
}
