package dev.pushgate.gateway.api;

import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET /api/history?topic=T[&since=OFFSET][&epoch=E][&limit=N]}: a topic's position and kept publications,
 * answered {@code {"topic":..,"epoch":..,"seq":..,"messages":[{"seq":..,"data":..}]}}. With {@code since}, the
 * publications after it, all or nothing like a recovering subscribe ({@code "recovered":true|false}); without, the
 * newest ones history holds without a hole (at most {@code limit}, default the namespace's {@code history-size}).
 * Errors: 401 bad key (or one without the {@code history} scope), 400 missing or bad parameter, 503 layer down.
 */
public final class HistoryEndpoint implements HttpEndpoint {
    /** The most publications one answer carries. */
    static final int MAX_LIMIT = 10_000;

    private final ApiKeys keys;
    private final Broker broker;
    private final Function<String, HistoryPolicy> policies;
    private final int topicMaxLength;

    public HistoryEndpoint(ApiKeys keys, Broker broker, Function<String, HistoryPolicy> policies, int topicMaxLength) {
        this.keys = keys;
        this.broker = broker;
        this.policies = policies;
        this.topicMaxLength = topicMaxLength;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "history";
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ApiKeyCheck.allowed(ex, keys, "history")) {
            return;
        }
        String topic = ex.validTopicParam(topicMaxLength);
        if (topic == null) {
            return;
        }
        long since;
        int limit;
        try {
            since = number(ex.param("since"), -1, Long.MAX_VALUE, "since");
            limit = (int) number(ex.param("limit"), Math.max(1, policies.apply(topic).size()), MAX_LIMIT, "limit");
        } catch (IllegalArgumentException e) {
            ex.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        String epoch = ex.param("epoch");
        CompletionStage<HistoryResult> read = since >= 0 ? broker.history(topic, since, epoch, limit)
                : newest(topic, limit);
        read.whenComplete((r, err) -> {
            if (err == null) {
                ex.json(HttpResponseStatus.OK, body(topic, r, since >= 0 ? r.complete() : null));
                return;
            }
            ex.layerReadFailed("history", topic, err);
        });
    }

    /** The newest publications without a hole: the last {@code limit}, or fewer when older ones are gone. */
    private CompletionStage<HistoryResult> newest(String topic, int limit) {
        return broker.history(topic, -1, null, 0).thenCompose(now -> {
            long offset = now.position().offset();
            String epoch = now.position().epoch();
            return window(topic, epoch, offset, Math.min(limit, offset), limit, 3);
        });
    }

    /** Reads the last {@code span} publications; when history holds fewer (ttl), retries with a quarter of it. */
    private CompletionStage<HistoryResult> window(String topic, String epoch, long offset, long span, int limit,
                                                  int triesLeft) {
        return broker.history(topic, offset - span, epoch, limit).thenCompose(r -> {
            if (r.complete() || span == 0 || triesLeft == 0) {
                return java.util.concurrent.CompletableFuture.completedFuture(r);
            }
            return window(topic, epoch, r.position().offset(), span / 4, limit, triesLeft - 1);
        });
    }

    private static long number(String raw, long fallback, long max, String name) {
        if (raw == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw);
            if (v < 0 || v > max) {
                throw new IllegalArgumentException("query parameter " + name + " must be 0.." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter " + name + " must be a non-negative integer");
        }
    }

    private static byte[] body(String topic, HistoryResult r, Boolean recovered) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 64 * r.publications().size());
        out.writeBytes(("{\"topic\":" + ProtocolCodec.quote(topic) + ",\"epoch\":"
                + ProtocolCodec.quote(r.position().epoch()) + ",\"seq\":" + r.position().offset()
                + (recovered == null ? "" : ",\"recovered\":" + recovered)
                + ",\"messages\":[").getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        for (Publication p : r.publications()) {
            out.writeBytes(((first ? "" : ",") + "{\"seq\":" + p.offset() + ",\"data\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p.data());
            out.write('}');
            first = false;
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
