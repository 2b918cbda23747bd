package dev.pushgate.bench.cli;

/**
 * The idle-connection scenario: how many connections, how long to hold them open, whether each also subscribes
 * (to {@code topic}), and whether to read the gateway's heap with {@code jcmd}.
 */
public record ConnectionsOptions(int connections, double holdSeconds, boolean subscribe, String topic,
                                 boolean jcmd) {
    static ConnectionsOptions from(Args args) {
        return new ConnectionsOptions(args.integer("connections", 1000, 1), args.decimal("hold", 5, 0),
                args.flag("subscribe"), args.string("topic", "chat.bench"), !args.flag("no-jcmd"));
    }
}
