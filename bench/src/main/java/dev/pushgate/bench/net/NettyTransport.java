package dev.pushgate.bench.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.concurrent.TimeUnit;

/**
 * The client event loop group: native epoll when available, NIO otherwise, with pooled direct buffers. Owns the
 * group; {@link #close()} shuts it down.
 */
public final class NettyTransport implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final boolean epoll;

    private NettyTransport(EventLoopGroup group, Class<? extends SocketChannel> channelClass, boolean epoll) {
        this.group = group;
        this.channelClass = channelClass;
        this.epoll = epoll;
    }

    /** A group of {@code threads} event loops. */
    public static NettyTransport create(int threads) {
        if (Epoll.isAvailable()) {
            return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()),
                    EpollSocketChannel.class, true);
        }
        return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()),
                NioSocketChannel.class, false);
    }

    public EventLoopGroup group() {
        return group;
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** A client bootstrap on this group with the bench's socket options; the caller sets the handler. */
    public Bootstrap bootstrap(int connectTimeoutMillis) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        if (epoll) {
            // with a bound source address, defer port choice to connect() so each source IP gets its own port range
            b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return b;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
