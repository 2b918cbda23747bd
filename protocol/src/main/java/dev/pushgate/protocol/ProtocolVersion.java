package dev.pushgate.protocol;

/** The protocol version announced in the {@code connected} frame. Additive changes keep the number. */
public final class ProtocolVersion {
    /** The version this codec speaks. */
    public static final int CURRENT = 1;

    private ProtocolVersion() {
    }
}
