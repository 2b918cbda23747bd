package dev.pushgate.gateway.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a verified connection token says: who the user is, until when, and which topics it may subscribe and
 * publish to. Patterns are exact topics or a prefix ending in {@code *} ({@code news.*}, {@code user:42*}).
 *
 * @param user      the {@code sub} claim
 * @param expiresAt the {@code exp} claim, or null for a token that does not expire
 * @param subscribe the {@code subs} claim: topic patterns the user may subscribe to
 * @param publish   the {@code pubs} claim: topic patterns the user may publish to
 */
public record Claims(String user, Instant expiresAt, List<String> subscribe, List<String> publish) {

    public boolean maySubscribe(String topic) {
        return matches(subscribe, topic);
    }

    public boolean mayPublish(String topic) {
        return matches(publish, topic);
    }

    static boolean matches(List<String> patterns, String topic) {
        for (String p : patterns) {
            if (p.endsWith("*") ? topic.startsWith(p.substring(0, p.length() - 1)) : p.equals(topic)) {
                return true;
            }
        }
        return false;
    }
}
