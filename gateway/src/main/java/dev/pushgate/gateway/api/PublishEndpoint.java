package dev.pushgate.gateway.api;

import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.PublishRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/publish}: a backend publishes one message ({@code {"topic":..,"data":..}}) or a batch (a JSON
 * array of them). Answers {@code {"results":[{"topic":..,"seq":N},...]}} once every publication is accepted by the
 * channel layer, or an error: 401 bad key, 415 not JSON, 400 bad body or topic, 403 a topic in the gateway's own
 * namespace, 413 too large, 503 layer down.
 * A batch is validated whole before anything is published.
 */
public final class PublishEndpoint implements HttpEndpoint {
    private final ApiKeys keys;
    private final PublishService publisher;
    private final int maxBatch;
    private final int topicMaxLength;

    public PublishEndpoint(ApiKeys keys, PublishService publisher, int maxBatch, int topicMaxLength) {
        this.keys = keys;
        this.publisher = publisher;
        this.maxBatch = maxBatch;
        this.topicMaxLength = topicMaxLength;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public String route() {
        return "publish";
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ApiKeyCheck.allowed(ex, keys, "publish")) {
            return;
        }
        if (!Json.isJson(ex.request())) {
            ex.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json");
            return;
        }
        List<PublishRequest> batch;
        try {
            batch = PublishRequest.decodeBody(ex.body(), maxBatch);
            for (int i = 0; i < batch.size(); i++) {
                String violation = dev.pushgate.protocol.Topics.violation(batch.get(i).topic(), topicMaxLength);
                if (violation != null) {
                    throw new ProtocolException(ErrorCode.INVALID_TOPIC,
                            (batch.size() > 1 ? "entry " + i + ": " : "") + violation);
                }
                if (PublishService.reserved(batch.get(i).topic())) {
                    throw new ProtocolException(ErrorCode.FORBIDDEN, (batch.size() > 1 ? "entry " + i + ": " : "")
                            + "namespace '" + NamespacePolicies.INTERNAL_NAMESPACE + "' is reserved for the gateway");
                }
            }
        } catch (ProtocolException e) {
            ex.error(e.code() == ErrorCode.FORBIDDEN ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.BAD_REQUEST,
                    e.code(), e.getMessage());
            return;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<StreamPosition>[] results = new CompletableFuture[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            PublishRequest r = batch.get(i);
            results[i] = publisher.publish(r.topic(), r.data(), PublishSource.HTTP).toCompletableFuture();
        }
        CompletableFuture.allOf(results).whenComplete((ok, err) -> {
            if (err != null) {
                ProtocolException pe = PublishService.failure(err);
                HttpResponseStatus status = switch (pe.code()) {
                    case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
                    case INVALID_TOPIC, BAD_REQUEST -> HttpResponseStatus.BAD_REQUEST;
                    case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
                    default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
                };
                ex.error(status, pe.code(), pe.getMessage());
                return;
            }
            StringBuilder sb = new StringBuilder("{\"results\":[");
            for (int i = 0; i < results.length; i++) {
                StreamPosition position = results[i].join();
                sb.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(batch.get(i).topic()).append('"');
                if (position.offset() >= 0) {
                    sb.append(",\"seq\":").append(position.offset());
                }
                if (!position.epoch().isEmpty()) {
                    sb.append(",\"epoch\":").append(dev.pushgate.protocol.ProtocolCodec.quote(position.epoch()));
                }
                sb.append('}');
            }
            ex.json(HttpResponseStatus.OK, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
