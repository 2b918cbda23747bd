package dev.pushgate.gateway.config;

/** Invalid configuration; the message names the key and where its value came from. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
