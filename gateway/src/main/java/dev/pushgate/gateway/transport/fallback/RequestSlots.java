package dev.pushgate.gateway.transport.fallback;

import dev.pushgate.gateway.api.HttpExchange;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open SSE streams (or held polls) of one transport in total and per client IP. The count is the
 * {@code pushgate.connections{transport=...}} gauge; refusals count as {@code pushgate.connections.refused} with
 * reason {@code <transport>_max} (answered 503) or {@code <transport>_max_per_ip} (answered 429). Thread-safe.
 */
public final class RequestSlots {
    /** Why a slot was refused, or none. */
    public enum Refusal { NONE, TOTAL, PER_IP }

    private final String transport;
    private final int maxTotal;
    private final int maxPerIp;
    private final GatewayMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    /** {@code maxPerIp} 0: no per-IP cap. */
    public RequestSlots(String transport, int maxTotal, int maxPerIp, GatewayMetrics metrics) {
        this.transport = transport;
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.metrics = metrics;
        metrics.transportConnections(transport, total);
    }

    /**
     * Takes a slot for {@code req}, or answers 429 (too many {@code what} from its address) or 503 (too many on this
     * node) and ends the request's authorisation. Returns whether it got one.
     */
    public boolean acquireOrRefuse(HttpExchange ex, SubscribeRequest req, String what) {
        Refusal refusal = acquire(req.ip());
        if (refusal == Refusal.NONE) {
            return true;
        }
        req.auth().closed();
        if (refusal == Refusal.PER_IP) {
            ex.error(HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "too many " + what + " from this address");
        } else {
            ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, "too many " + what + " on this node");
        }
        return false;
    }

    /** Takes a slot for {@code ip}; on {@link Refusal#NONE} the caller must {@link #release} it exactly once. */
    public Refusal acquire(InetAddress ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            metrics.connectionRefused(transport + "_max");
            return Refusal.TOTAL;
        }
        if (maxPerIp > 0) {
            AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            if (n.incrementAndGet() > maxPerIp) {
                releaseIp(ip);
                total.decrementAndGet();
                metrics.connectionRefused(transport + "_max_per_ip");
                return Refusal.PER_IP;
            }
        }
        return Refusal.NONE;
    }

    public void release(InetAddress ip) {
        total.decrementAndGet();
        if (maxPerIp > 0) {
            releaseIp(ip);
        }
    }

    /** Slots in use. */
    public int open() {
        return total.get();
    }

    private void releaseIp(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
