package dev.pushgate.gateway.session;

import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.hub.Subscriber;
import dev.pushgate.gateway.hub.Subscription;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.protocol.ClientMessage;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import dev.pushgate.protocol.ProtocolCodec;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One client connection's state: its subscriptions and the handling of its requests. Every method runs on the
 * connection's event loop; answers to asynchronous work (broker subscribe, publish) hop back there before touching
 * state. Subscribe and unsubscribe are idempotent. Answers leave in request order ({@link ReplyQueue}), except a
 * subscribe's, which comes when the subscription is active (with its replay, when it recovers).
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String id;
    private final Transport transport;
    private final ReplyQueue replies;
    private final Subscriber subscriber;
    private final SessionServices services;
    /** The current subscription attempt per topic; an older attempt's outcome is ignored (generation). */
    private final Map<String, Subscription> subscriptions = new HashMap<>(4);
    private final SessionAuth auth;
    private boolean closed;

    public Session(String id, Transport transport, Subscriber subscriber, SessionServices services) {
        this.id = id;
        this.transport = transport;
        this.replies = new ReplyQueue(transport);
        this.subscriber = subscriber;
        this.services = services;
        this.auth = new SessionAuth(replies, services);
        services.registry().add(this);
    }

    /** The verified user id, or null for an anonymous connection. */
    public String userId() {
        return auth.user();
    }

    /** Adopts claims verified at the upgrade (token in the query string). */
    public void authenticated(dev.pushgate.gateway.auth.Claims claims) {
        auth.authenticated(claims);
    }

    public String id() {
        return id;
    }

    /** The topics this session is subscribed to (loop-confined). */
    public Set<String> topics() {
        return subscriptions.keySet();
    }

    /** Handles one decoded client message. */
    public void onMessage(ClientMessage message) {
        if (closed) {
            return;
        }
        if (message instanceof ClientMessage.Subscribe m) {
            subscribe(m);
        } else if (message instanceof ClientMessage.Unsubscribe m) {
            unsubscribe(m);
        } else if (message instanceof ClientMessage.Publish m) {
            publish(m);
        } else if (message instanceof ClientMessage.Ping m) {
            replies.send(ProtocolCodec.pong(m.id()));
        } else if (message instanceof ClientMessage.Connect m) {
            auth.connect(m.id(), m.token());
        } else if (message instanceof ClientMessage.Refresh m) {
            auth.refresh(m.id(), m.token());
        }
    }

    /** Answers a request that could not be decoded or was refused; the connection stays open. */
    public void onError(ProtocolException e) {
        refuse(e, replies);
    }

    /** Answers {@code e} through {@code out}: the ordered replies, or the transport for a subscribe's answer. */
    private void refuse(ProtocolException e, Transport out) {
        if (closed) {
            return;
        }
        services.metrics().clientError(e.code().wire());
        log.debug("refusing request: id={} code={} message={}", id, e.code().wire(), e.getMessage());
        out.send(ProtocolCodec.error(e.requestId(), e.code(), e.getMessage()));
    }

    /** The connection is gone: leave every topic. Idempotent. */
    public void closed() {
        if (closed) {
            return;
        }
        closed = true;
        auth.closed();
        for (Subscription sub : subscriptions.values()) {
            services.hub().unsubscribe(sub);
            services.presence().left(sub.topic(), id, userId());
        }
        subscriptions.clear();
        services.registry().remove(this);
    }

    /** Closes the connection with {@code code}; callable from any thread (hops to the session's loop). */
    public void close(CloseCode code) {
        transport.executor().execute(() -> transport.close(code));
    }

    private void subscribe(ClientMessage.Subscribe m) {
        String topic = m.topic();
        if (!validTopic(topic, m.id(), transport)) {
            return;
        }
        Subscription existing = subscriptions.get(topic);
        if (existing != null) {
            // Idempotent: acknowledged once the subscription already asked for has started.
            existing.started().whenComplete((start, err) -> {
                if (!closed && err == null && subscriptions.get(topic) == existing) {
                    StreamPosition p = start.position();
                    transport.send(ProtocolCodec.subscribeAck(m.id(), topic, p == null ? null : p.epoch(),
                            p == null ? 0 : p.offset(), null));
                } else if (!closed && err != null) {
                    refuse(new ProtocolException(ErrorCode.UNAVAILABLE, "subscription failed, try again", m.id()),
                            transport);
                }
            });
            return;
        }
        try {
            auth.checkSubscribe(topic, m.id());
        } catch (ProtocolException e) {
            refuse(e, transport);
            return;
        }
        if (subscriptions.size() >= services.limits().maxSubscriptions()) {
            refuse(new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + services.limits().maxSubscriptions() + " subscriptions per connection", m.id()),
                    transport);
            return;
        }
        StreamPosition since = m.since() == null ? null : new StreamPosition(m.since().seq(), m.since().epoch());
        Subscription sub = services.hub().subscribe(topic, subscriber, since);
        subscriptions.put(topic, sub);
        // Completes on this loop; the ack and the replay are written here, before the subscription goes live.
        sub.started().whenComplete((start, err) -> {
            if (closed || subscriptions.get(topic) != sub) {
                return; // unsubscribed meanwhile, or a newer attempt owns the topic now
            }
            if (err != null) {
                subscriptions.remove(topic);
                refuse(new ProtocolException(ErrorCode.UNAVAILABLE, "subscription failed, try again", m.id()),
                        transport);
                return;
            }
            services.presence().joined(topic, id, userId()); // in presence by the time the ack arrives
            StreamPosition p = start.position();
            transport.send(ProtocolCodec.subscribeAck(m.id(), topic, p == null ? null : p.epoch(),
                    p == null ? 0 : p.offset(), start.recovered()));
            for (Publication pub : start.replay()) {
                transport.send(ProtocolCodec.message(topic, pub.offset(), pub.data()));
            }
            if (start.recovered() != null) {
                services.metrics().recovery(start.recovered(), start.replay().size());
            }
        });
    }

    private void unsubscribe(ClientMessage.Unsubscribe m) {
        if (!validTopic(m.topic(), m.id(), replies)) {
            return;
        }
        Subscription sub = subscriptions.remove(m.topic());
        if (sub != null) {
            services.hub().unsubscribe(sub);
            services.presence().left(m.topic(), id, userId());
        }
        replies.send(ProtocolCodec.ack(m.id(), m.topic()));
    }

    private void publish(ClientMessage.Publish m) {
        if (!validTopic(m.topic(), m.id(), replies)) {
            return;
        }
        try {
            auth.checkPublish(m.topic(), m.id());
        } catch (ProtocolException e) {
            services.metrics().publishError("forbidden");
            onError(e);
            return;
        }
        ReplyQueue.Slot slot = replies.reserve();
        services.publisher().publish(m.topic(), m.data(), PublishSource.CLIENT).whenComplete((pos, err) ->
                transport.executor().execute(() -> {
                    if (err == null) {
                        replies.answer(slot, ProtocolCodec.publishAck(m.id(), pos.offset()));
                    } else {
                        ProtocolException pe = PublishService.failure(err);
                        if (!closed) {
                            services.metrics().clientError(pe.code().wire());
                            log.debug("refusing request: id={} code={} message={}", id, pe.code().wire(),
                                    pe.getMessage());
                        }
                        replies.answer(slot, ProtocolCodec.error(m.id(), pe.code(), pe.getMessage()));
                    }
                }));
    }

    private boolean validTopic(String topic, Long requestId, Transport out) {
        String violation = Topics.violation(topic, services.limits().topicMaxLength());
        if (violation != null) {
            refuse(new ProtocolException(ErrorCode.INVALID_TOPIC, violation, requestId), out);
            return false;
        }
        return true;
    }
}
