package dev.pushgate.protocol;

/**
 * The {@code code} of an {@code error} frame or an HTTP error body. The wire value is the lower-case name.
 * {@link #retryable()} says whether the same request may succeed later unchanged.
 */
public enum ErrorCode {
    /** The frame or body is not valid JSON, or a field is missing or has the wrong type. */
    BAD_REQUEST("bad_request", false),
    /** The {@code op} is not one this gateway knows. */
    UNKNOWN_OP("unknown_op", false),
    /** The topic name breaks the topic rules (charset, length). */
    INVALID_TOPIC("invalid_topic", false),
    /** The namespace's policy does not allow this (e.g. client publish to a backend-only namespace). */
    FORBIDDEN("forbidden", false),
    /** Missing or wrong API key or token. */
    UNAUTHORIZED("unauthorized", false),
    /** The connection already holds the maximum number of subscriptions. */
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", false),
    /** The client sends faster than its allowed rate. */
    RATE_LIMITED("rate_limited", true),
    /** The message or body is larger than allowed. */
    PAYLOAD_TOO_LARGE("payload_too_large", false),
    /** The channel layer (Redis) is unreachable or overloaded; nothing was published. */
    UNAVAILABLE("unavailable", true),
    /** No such HTTP endpoint. */
    NOT_FOUND("not_found", false),
    /** The HTTP method is not allowed on this endpoint. */
    METHOD_NOT_ALLOWED("method_not_allowed", false),
    /** The HTTP body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", false),
    /** The HTTP request (head and body) did not arrive within {@code http.request-timeout}. */
    REQUEST_TIMEOUT("request_timeout", true),
    /** A fault inside the gateway; the details are in its log under the request or connection id. */
    INTERNAL("internal", true);

    private final String wire;
    private final boolean retryable;

    ErrorCode(String wire, boolean retryable) {
        this.wire = wire;
        this.retryable = retryable;
    }

    /** The value written on the wire. */
    public String wire() {
        return wire;
    }

    /** Whether retrying the same request later may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
