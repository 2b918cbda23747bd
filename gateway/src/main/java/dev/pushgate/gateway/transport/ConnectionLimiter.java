package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections in total and per client IP. A connection over a cap is closed as soon as it is accepted,
 * before any byte is read (nothing is answered: the peer sees the TCP connection end), and counted. A connection
 * within the caps is counted until its channel closes (a listener on its close future) and the limiter leaves its
 * pipeline at once: an open connection holds no pipeline context and no attribute for it. Shared.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int maxTotal;
    private final int maxPerIp;
    private final GatewayMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    /** Uncounts a closed connection when there is no per-IP cap (one listener for all of them). */
    private final ChannelFutureListener uncount = f -> total.decrementAndGet();

    ConnectionLimiter(int maxTotal, int maxPerIp, GatewayMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refuse(ctx, "max_connections");
            return;
        }
        if (maxPerIp > 0) {
            InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            if (n.incrementAndGet() > maxPerIp) {
                release(ip);
                total.decrementAndGet();
                refuse(ctx, "max_connections_per_ip");
                return;
            }
            ctx.channel().closeFuture().addListener(f -> {
                total.decrementAndGet();
                release(ip);
            });
        } else {
            ctx.channel().closeFuture().addListener(uncount);
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    private void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        metrics.connectionRefused(reason);
        ctx.close();
    }
}
