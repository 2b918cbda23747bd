package dev.pushgate.gateway.broker;

/** The channel layer cannot take the request now (Redis down, queue full); nothing was published. */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
