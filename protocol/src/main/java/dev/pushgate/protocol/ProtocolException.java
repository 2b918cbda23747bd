package dev.pushgate.protocol;

/**
 * A request the gateway refuses with a documented {@link ErrorCode}. The message is safe to show to the
 * client: it never contains internals.
 */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final Long requestId;

    public ProtocolException(ErrorCode code, String message, Long requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the request that failed, or {@code null} if unknown. */
    public Long requestId() {
        return requestId;
    }
}
