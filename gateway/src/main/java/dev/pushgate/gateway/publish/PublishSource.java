package dev.pushgate.gateway.publish;

import java.util.Locale;

/** Where a publication entered this node; the {@code source} tag of the messages-in metric. */
public enum PublishSource {
    CLIENT, HTTP, REDIS, INTERNAL;

    /** The tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
