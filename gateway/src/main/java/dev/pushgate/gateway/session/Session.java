package dev.pushgate.gateway.session;

import dev.pushgate.gateway.hub.Subscriber;
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

import java.util.HashSet;
import java.util.Set;

/**
 * One client connection's state: its subscriptions and the handling of its requests. Every method runs on the
 * connection's event loop; answers to asynchronous work (broker subscribe, publish) hop back there before touching
 * state. Subscribe and unsubscribe are idempotent.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String id;
    private final Transport transport;
    private final Subscriber subscriber;
    private final SessionServices services;
    private final Set<String> topics = new HashSet<>(4);
    private final SessionAuth auth;
    private boolean closed;

    public Session(String id, Transport transport, Subscriber subscriber, SessionServices services) {
        this.id = id;
        this.transport = transport;
        this.subscriber = subscriber;
        this.services = services;
        this.auth = new SessionAuth(transport, services);
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
        return topics;
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
            transport.send(ProtocolCodec.pong(m.id()));
        } else if (message instanceof ClientMessage.Connect m) {
            auth.connect(m.id(), m.token());
        } else if (message instanceof ClientMessage.Refresh m) {
            auth.refresh(m.id(), m.token());
        }
    }

    /** Answers a request that could not be decoded or was refused; the connection stays open. */
    public void onError(ProtocolException e) {
        if (closed) {
            return;
        }
        services.metrics().clientError(e.code().wire());
        log.debug("refusing request: id={} code={} message={}", id, e.code().wire(), e.getMessage());
        transport.send(ProtocolCodec.error(e.requestId(), e.code(), e.getMessage()));
    }

    /** The connection is gone: leave every topic. Idempotent. */
    public void closed() {
        if (closed) {
            return;
        }
        closed = true;
        auth.closed();
        for (String topic : topics) {
            services.hub().unsubscribe(topic, subscriber);
            services.presence().left(topic, id, userId());
        }
        topics.clear();
        services.registry().remove(this);
    }

    /** Closes the connection with {@code code}; callable from any thread (hops to the session's loop). */
    public void close(CloseCode code) {
        transport.executor().execute(() -> transport.close(code));
    }

    private void subscribe(ClientMessage.Subscribe m) {
        String topic = m.topic();
        if (!validTopic(topic, m.id())) {
            return;
        }
        if (topics.contains(topic)) {
            transport.send(ProtocolCodec.ack(m.id(), topic));
            return;
        }
        try {
            auth.checkSubscribe(topic, m.id());
        } catch (ProtocolException e) {
            onError(e);
            return;
        }
        if (topics.size() >= services.limits().maxSubscriptions()) {
            onError(new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + services.limits().maxSubscriptions() + " subscriptions per connection", m.id()));
            return;
        }
        topics.add(topic);
        services.hub().subscribe(topic, subscriber).whenComplete((ok, err) -> transport.executor().execute(() -> {
            if (closed) {
                return;
            }
            if (err == null) {
                if (topics.contains(topic)) {
                    services.presence().joined(topic, id, userId()); // in presence by the time the ack arrives
                }
                transport.send(ProtocolCodec.ack(m.id(), topic));
            } else {
                topics.remove(topic);
                onError(new ProtocolException(ErrorCode.UNAVAILABLE, "subscription failed, try again", m.id()));
            }
        }));
    }

    private void unsubscribe(ClientMessage.Unsubscribe m) {
        if (!validTopic(m.topic(), m.id())) {
            return;
        }
        if (topics.remove(m.topic())) {
            services.hub().unsubscribe(m.topic(), subscriber);
            services.presence().left(m.topic(), id, userId());
        }
        transport.send(ProtocolCodec.ack(m.id(), m.topic()));
    }

    private void publish(ClientMessage.Publish m) {
        if (!validTopic(m.topic(), m.id())) {
            return;
        }
        try {
            auth.checkPublish(m.topic(), m.id());
        } catch (ProtocolException e) {
            services.metrics().publishError("forbidden");
            onError(e);
            return;
        }
        services.publisher().publish(m.topic(), m.data(), PublishSource.CLIENT).whenComplete((seq, err) ->
                transport.executor().execute(() -> {
                    if (err == null) {
                        if (!closed) {
                            transport.send(ProtocolCodec.publishAck(m.id(), seq));
                        }
                    } else {
                        ProtocolException pe = PublishService.failure(err);
                        onError(new ProtocolException(pe.code(), pe.getMessage(), m.id()));
                    }
                }));
    }

    private boolean validTopic(String topic, Long requestId) {
        String violation = Topics.violation(topic, services.limits().topicMaxLength());
        if (violation != null) {
            onError(new ProtocolException(ErrorCode.INVALID_TOPIC, violation, requestId));
            return false;
        }
        return true;
    }
}
