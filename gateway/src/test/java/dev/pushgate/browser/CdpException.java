package dev.pushgate.browser;

/** A Chrome DevTools Protocol command failed, timed out, or the page threw while evaluating an expression. */
public final class CdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CdpException(String message) {
        super(message);
    }

    CdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
