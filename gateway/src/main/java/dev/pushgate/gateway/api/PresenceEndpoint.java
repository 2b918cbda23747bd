package dev.pushgate.gateway.api;

import dev.pushgate.gateway.auth.ApiKeys;
import dev.pushgate.gateway.presence.PresenceMember;
import dev.pushgate.gateway.presence.PresenceService;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.Topics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/presence?topic=chat.lobby}: who is subscribed to a topic on every node, answered
 * {@code {"topic":..,"count":N,"members":[{"client":..,"node":..,"user":..}]}}. Errors: 401 bad key (or one without
 * the {@code presence} scope), 400 missing or invalid topic, 403 presence not enabled for the topic's namespace, 503
 * channel layer down.
 */
public final class PresenceEndpoint implements HttpEndpoint {

    private final ApiKeys keys;
    private final PresenceService presence;
    private final int topicMaxLength;

    public PresenceEndpoint(ApiKeys keys, PresenceService presence, int topicMaxLength) {
        this.keys = keys;
        this.presence = presence;
        this.topicMaxLength = topicMaxLength;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public String route() {
        return "presence";
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ApiKeyCheck.allowed(ex, keys, "presence")) {
            return;
        }
        String topic = ex.validTopicParam(topicMaxLength);
        if (topic == null) {
            return;
        }
        if (!presence.enabled(topic)) {
            ex.error(HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "presence is not enabled for namespace '" + Topics.namespace(topic) + "'");
            return;
        }
        presence.members(topic).whenComplete((members, err) -> {
            if (err == null) {
                ex.json(HttpResponseStatus.OK, body(topic, members));
                return;
            }
            ex.layerReadFailed("presence", topic, err);
        });
    }

    private static byte[] body(String topic, List<PresenceMember> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * members.size());
        out.writeBytes(("{\"topic\":" + ProtocolCodec.quote(topic) + ",\"count\":" + members.size()
                + ",\"members\":[").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(members.get(i).toJson());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
