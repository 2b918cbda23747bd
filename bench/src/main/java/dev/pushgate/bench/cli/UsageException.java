package dev.pushgate.bench.cli;

/** A command line that cannot be run: unknown flag, missing or malformed value. The message says which. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
