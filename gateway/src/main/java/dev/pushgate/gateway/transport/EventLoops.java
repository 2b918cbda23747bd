package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.config.GatewayConfig.TransportKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/** The socket transport in use (epoll, io_uring or NIO) with its acceptor and worker event-loop groups. */
public final class EventLoops {
    private final String name;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannel;

    private EventLoops(String name, IoHandlerFactory factory, int threads, Class<? extends ServerChannel> serverChannel) {
        this.name = name;
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pushgate-accept"), factory);
        this.workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("pushgate-io"), factory);
        this.serverChannel = serverChannel;
    }

    /** Picks the transport: {@code auto} prefers epoll, then NIO; an explicit native choice must be available. */
    public static EventLoops create(TransportKind kind, int threads) {
        int n = threads > 0 ? threads : 2 * Runtime.getRuntime().availableProcessors();
        return switch (kind) {
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield new EventLoops("epoll", EpollIoHandler.newFactory(), n, EpollServerSocketChannel.class);
            }
            case IO_URING -> {
                IoUring.ensureAvailability();
                yield new EventLoops("io_uring", IoUringIoHandler.newFactory(), n, IoUringServerSocketChannel.class);
            }
            case NIO -> nio(n);
            case AUTO -> Epoll.isAvailable()
                    ? new EventLoops("epoll", EpollIoHandler.newFactory(), n, EpollServerSocketChannel.class)
                    : nio(n);
        };
    }

    private static EventLoops nio(int n) {
        return new EventLoops("nio", NioIoHandler.newFactory(), n, NioServerSocketChannel.class);
    }

    public String name() {
        return name;
    }

    public EventLoopGroup acceptor() {
        return acceptor;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /** Stops both groups, waiting at most {@code timeoutMillis}. */
    public void shutdown(long timeoutMillis) {
        acceptor.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMillis + 1000);
    }
}
