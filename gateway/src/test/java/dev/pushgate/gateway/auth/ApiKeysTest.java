package dev.pushgate.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @Test
    void scopesLimitWhatAKeyMayDo() {
        ApiKeys keys = new ApiKeys(List.of("all-scopes-key", "publisher-key:publish", "ops-key:presence|stats"));
        assertTrue(keys.accepts("Bearer all-scopes-key", "publish"));
        assertTrue(keys.accepts("bearer all-scopes-key", "stats"));
        assertTrue(keys.accepts("Bearer publisher-key", "publish"));
        assertFalse(keys.accepts("Bearer publisher-key", "presence"));
        assertTrue(keys.accepts("Bearer ops-key", "stats"));
        assertFalse(keys.accepts("Bearer ops-key", "publish"));
        assertFalse(keys.accepts("Bearer nope", "publish"));
        assertFalse(keys.accepts("Basic all-scopes-key", "publish"));
        assertFalse(keys.accepts(null, "publish"));
        assertTrue(keys.accepts("Bearer ops-key"));
    }

    @Test
    void unknownScopeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ApiKeys(List.of("key-1234:delete")));
    }
}
