package dev.pushgate.gateway.session;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/** Every open session of this node, for counting and for the shutdown drain. Thread-safe. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    void add(Session s) {
        sessions.put(s.id(), s);
    }

    void remove(Session s) {
        sessions.remove(s.id(), s);
    }

    /** A live view of the open sessions. */
    public Collection<Session> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    public int size() {
        return sessions.size();
    }
}
