package dev.pushgate.gateway.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a verified connection token says: who the user is, until when, and which topics it may subscribe and
 * publish to. A pattern is one of:
 * <ul>
 *   <li>an exact topic ({@code user:42}) — that topic only;</li>
 *   <li>{@code *} — every topic;</li>
 *   <li>a prefix ending in {@code .*} or {@code :*} ({@code news.*}, {@code user:42:*}) — every topic that starts
 *       with the prefix including its separator and has at least one more character ({@code news.sports},
 *       {@code news.sports.live}), but not the prefix alone ({@code news}) nor a longer name ({@code newsroom}).</li>
 * </ul>
 * A {@code *} anywhere else ({@code user:42*}, {@code news.*.live}) matches nothing: {@code *} is never part of a
 * topic, and a pattern that is not a whole segment would grant more than it seems to ({@code user:420}).
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
            if (matches(p, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one pattern grants {@code topic}; see the class comment for the rules. */
    static boolean matches(String pattern, String topic) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(topic);
        }
        if (star != pattern.length() - 1) {
            return false;
        }
        if (star == 0) {
            return true;
        }
        char separator = pattern.charAt(star - 1);
        return star >= 2 && (separator == '.' || separator == ':')
                && topic.length() > star && topic.startsWith(pattern.substring(0, star));
    }
}
