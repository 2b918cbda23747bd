package dev.pushgate.gateway.publish;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.metrics.GatewayMetrics;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.Topics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The one way into the channel layer: checks the topic, publishes through the broker and counts the outcome.
 * Policy checks (who may publish where) belong to the caller. Thread-safe; never blocks.
 */
public final class PublishService {
    private static final Logger log = LoggerFactory.getLogger(PublishService.class);

    private final Broker broker;
    private final GatewayMetrics metrics;
    private final int topicMaxLength;
    private final Function<String, HistoryPolicy> history;

    /** {@code history} gives a (valid) topic's history policy, from its namespace. */
    public PublishService(Broker broker, GatewayMetrics metrics, int topicMaxLength,
                          Function<String, HistoryPolicy> history) {
        this.broker = broker;
        this.metrics = metrics;
        this.topicMaxLength = topicMaxLength;
        this.history = history;
    }

    /**
     * Publishes {@code data} to {@code topic}. Completes with its position (offset and epoch) or fails with
     * a {@link ProtocolException} whose code is safe to show: {@code invalid_topic}, {@code forbidden} (the
     * gateway's own namespace, for every source but {@code internal}), {@code unavailable} or {@code internal}.
     */
    public CompletionStage<StreamPosition> publish(String topic, byte[] data, PublishSource source) {
        String violation = Topics.violation(topic, topicMaxLength);
        if (violation != null) {
            metrics.publishError("invalid_topic");
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.INVALID_TOPIC, violation));
        }
        if (source != PublishSource.INTERNAL && reserved(topic)) {
            metrics.publishError("forbidden");
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.FORBIDDEN,
                    "namespace '" + NamespacePolicies.INTERNAL_NAMESPACE + "' is reserved for the gateway"));
        }
        // Not gated on broker.isReady(): a node that is resubscribing can still publish; the broker fails a publish
        // by itself (BrokerUnavailableException) when it cannot reach the layer.
        metrics.messageIn(source);
        CompletionStage<StreamPosition> stage;
        try {
            stage = broker.publish(topic, data, history.apply(topic));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((position, err) -> {
            if (err == null) {
                return position;
            }
            throw new java.util.concurrent.CompletionException(translate(err));
        });
    }

    private ProtocolException translate(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (cause instanceof ProtocolException pe) {
            return pe;
        }
        if (cause instanceof BrokerUnavailableException) {
            metrics.publishError("unavailable");
            return new ProtocolException(ErrorCode.UNAVAILABLE, "channel layer unavailable, nothing was published");
        }
        metrics.publishError("internal");
        log.warn("publish failed unexpectedly", cause);
        return new ProtocolException(ErrorCode.INTERNAL, "publish failed");
    }

    /** Whether {@code topic} (valid) is in the gateway's own namespace, where only the gateway publishes. */
    public static boolean reserved(String topic) {
        return Topics.namespace(topic).equals(NamespacePolicies.INTERNAL_NAMESPACE);
    }

    /** Unwraps the {@link ProtocolException} a failed {@link #publish} stage carries. */
    public static ProtocolException failure(Throwable err) {
        Throwable cause = err;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ProtocolException pe ? pe : new ProtocolException(ErrorCode.INTERNAL, "publish failed");
    }
}
