package dev.pushgate.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a {@code subs}/{@code pubs} pattern grants: exact, {@code *}, or {@code *} as the whole last segment. */
class ClaimsTest {

    private static boolean grants(String pattern, String topic) {
        return new Claims("u", null, List.of(pattern), List.of()).maySubscribe(topic);
    }

    @Test
    void aStarGluedToAnIdDoesNotGrantLongerIds() {
        assertFalse(grants("user:42*", "user:420"));
        assertFalse(grants("user:42*", "user:42"));
        assertFalse(grants("user:42*", "user:42:inbox"));
        assertFalse(grants("news*", "newsroom"));
    }

    @Test
    void aStarAfterASeparatorGrantsEverythingBelowIt() {
        assertTrue(grants("user:42:*", "user:42:inbox"));
        assertTrue(grants("user:42.*", "user:42.inbox.archive"));
        assertFalse(grants("user:42:*", "user:420:inbox"));
        assertFalse(grants("user:42:*", "user:42"));
        assertTrue(grants("news.*", "news.sports"));
        assertTrue(grants("news.*", "news.sports.live"));
        assertTrue(grants("user:*", "user:42"));
        assertFalse(grants("news.*", "news"));
        assertFalse(grants("news.*", "newsroom"));
        assertFalse(grants("news.*", "news:sports"));
    }

    @Test
    void exactAllAndMisplacedStars() {
        assertTrue(grants("user:42", "user:42"));
        assertFalse(grants("user:42", "user:420"));
        assertTrue(grants("*", "anything.at:all"));
        assertFalse(grants("news.*.live", "news.sports.live"));
        assertFalse(grants("*.live", "news.live"));
        assertFalse(grants("news.**", "news.x"));
        assertFalse(grants("news-*", "news-x"));
        assertFalse(grants("", "news"));
    }

    @Test
    void publishUsesTheSameRules() {
        Claims c = new Claims("u", null, List.of(), List.of("chat.room:*"));
        assertTrue(c.mayPublish("chat.room:1"));
        assertFalse(c.mayPublish("chat.room1"));
        assertFalse(c.maySubscribe("chat.room:1"));
    }
}
