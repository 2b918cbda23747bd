package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;

import java.util.concurrent.CompletionException;

/**
 * Sorts lettuce failures: anything about reaching Redis (not connected, queue full, timeout, server loading, busy,
 * read-only replica, out of memory) becomes {@link BrokerUnavailableException} (the API answers 503 / {@code
 * unavailable}); an error Redis answered about the command itself stays as it is (the API answers {@code internal}).
 */
final class RedisFailures {
    private RedisFailures() {
    }

    static Throwable translate(Throwable err) {
        Throwable cause = err;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BrokerUnavailableException) {
            return cause;
        }
        if (cause instanceof RedisCommandExecutionException && !transientServerError(cause)) {
            return cause;
        }
        return new BrokerUnavailableException("redis unavailable: " + cause.getMessage());
    }

    private static boolean transientServerError(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof RedisBusyException || e instanceof RedisLoadingException
                || e instanceof RedisReadOnlyException || m.startsWith("OOM") || m.startsWith("MASTERDOWN")
                || m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN");
    }
}
