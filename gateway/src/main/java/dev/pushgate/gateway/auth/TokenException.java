package dev.pushgate.gateway.auth;

/** A connection token was refused; the message is safe to show the client ("token expired", "bad signature"). */
public final class TokenException extends Exception {
    private final boolean expired;

    public TokenException(String message, boolean expired) {
        super(message, null, false, false);
        this.expired = expired;
    }

    public TokenException(String message) {
        this(message, false);
    }

    /** Whether the token was valid but expired (close 4501 rather than 4500). */
    public boolean expired() {
        return expired;
    }
}
