package dev.pushgate.gateway.transport;

import dev.pushgate.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections in total and per client IP. A connection over a cap is closed as soon as it is accepted,
 * before any byte is read (nothing is answered: the peer sees the TCP connection end), and counted. Shared.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("pushgate.counted-ip");

    private final int maxTotal;
    private final int maxPerIp;
    private final GatewayMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerIp, GatewayMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refuse(ctx, "max_connections");
            return;
        }
        if (maxPerIp > 0) {
            AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            if (n.incrementAndGet() > maxPerIp) {
                release(ip);
                total.decrementAndGet();
                refuse(ctx, "max_connections_per_ip");
                return;
            }
        }
        ctx.channel().attr(COUNTED).set(ip);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ctx.channel().attr(COUNTED).getAndSet(null);
        if (ip != null) {
            total.decrementAndGet();
            if (maxPerIp > 0) {
                release(ip);
            }
        }
        super.channelInactive(ctx);
    }

    private void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        metrics.connectionRefused(reason);
        ctx.close();
    }
}
