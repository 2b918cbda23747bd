package dev.pushgate.gateway.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}); when Redis does not know it (a restarted or flushed server
 * answers {@code NOSCRIPT}) the same call is sent once more as {@code EVAL}, which also caches it again. Immutable.
 */
final class RedisScript {
    private final String text;
    private final String sha;

    RedisScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** The script's SHA-1 (what {@code SCRIPT LOAD} answers). */
    String sha() {
        return sha;
    }

    /** The script text. */
    String text() {
        return text;
    }

    /** Runs the script; never throws, failures complete the stage. */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
                               byte[]... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            redis.<T>evalsha(sha, type, keys, args).whenComplete((value, err) -> {
                if (err == null) {
                    result.complete(value);
                } else if (unwrap(err) instanceof RedisNoScriptException) {
                    redis.<T>eval(text, type, keys, args).whenComplete((v, e) -> {
                        if (e == null) {
                            result.complete(v);
                        } else {
                            result.completeExceptionally(unwrap(e));
                        }
                    });
                } else {
                    result.completeExceptionally(unwrap(err));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
