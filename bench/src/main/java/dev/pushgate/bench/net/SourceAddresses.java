package dev.pushgate.bench.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local source addresses for client connections, handed out so that no address carries more connections than
 * the ephemeral port range allows. With no explicit list and few connections the kernel chooses (no bind);
 * beyond {@link #PER_ADDRESS} connections to a loopback server it uses 127.0.0.1, 127.0.0.2, … automatically.
 * Immutable and thread-safe.
 */
public final class SourceAddresses {
    /** Connections per source address before moving to the next (below the default 28,232-port range). */
    public static final int PER_ADDRESS = 28_000;

    private final List<InetAddress> addresses;
    private final int perAddress;

    private SourceAddresses(List<InetAddress> addresses, int perAddress) {
        this.addresses = addresses;
        this.perAddress = perAddress;
    }

    /**
     * The addresses for {@code connections} connections to {@code server}: {@code explicit} when not empty (used
     * round robin), else automatic loopback addresses when needed, else none (the kernel chooses).
     */
    public static SourceAddresses plan(List<InetAddress> explicit, int connections, InetAddress server) {
        if (!explicit.isEmpty()) {
            return new SourceAddresses(List.copyOf(explicit), 1);
        }
        if (connections <= PER_ADDRESS || !server.isLoopbackAddress()) {
            return new SourceAddresses(List.of(), 1);
        }
        int count = (connections + PER_ADDRESS - 1) / PER_ADDRESS;
        List<InetAddress> auto = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                auto.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SourceAddresses(auto, PER_ADDRESS);
    }

    /** The source address for connection number {@code connection}, or {@code null} to let the kernel choose. */
    public InetAddress forIndex(int connection) {
        if (addresses.isEmpty()) {
            return null;
        }
        int index = perAddress == 1 ? connection % addresses.size()
                : Math.min(connection / perAddress, addresses.size() - 1);
        return addresses.get(index);
    }

    /** The addresses in use (empty: kernel's choice). */
    public List<InetAddress> addresses() {
        return addresses;
    }
}
