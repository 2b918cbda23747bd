package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigException;
import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.config.ConfigKeys;
import dev.pushgate.gateway.config.ConfigLoader;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.logging.LogSettings;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar gateway.jar [--config file.yaml] [--port N] [--help]}: loads the configuration, starts the node
 * and drains it on SIGTERM/SIGINT. Exit status 2 means invalid configuration or arguments, 1 that the node could not
 * start (e.g. {@code cannot listen on 0.0.0.0:8080: address already in use}); either way after one line, no stack
 * trace, and with whatever had been started released.
 */
public final class GatewayMain {
    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);
    /** Logs plain lines (no timestamp) for the command-line answers such as {@code --help}. */
    private static final Logger cli = LoggerFactory.getLogger("pushgate.cli");

    private GatewayMain() {
    }

    public static void main(String[] args) {
        // Leak tracking samples the shared fan-out buffer and then records every subscriber's duplicate (measured:
        // ~8 % CPU at 100k deliveries/s, see BENCHMARKS.md). Off in production unless asked for; tests run paranoid.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        Path file = null;
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            // --flag=value is the same as --flag value.
            int eq = args[i].startsWith("--") ? args[i].indexOf('=') : -1;
            String a = eq > 0 ? args[i].substring(0, eq) : args[i];
            String inline = eq > 0 ? args[i].substring(eq + 1) : null;
            if (inline != null && !a.equals("--config") && !a.equals("--port")) {
                fail("unknown argument: " + args[i] + " (try --help)");
            }
            switch (a) {
                case "--help", "-h" -> {
                    cli.info(help());
                    return;
                }
                case "--version" -> {
                    cli.info("pushgate " + version());
                    return;
                }
                case "--config" -> file = Path.of(inline != null ? inline : value(args, ++i, a));
                case "--port" -> overrides.put("port", inline != null ? inline : value(args, ++i, a));
                default -> fail("unknown argument: " + a + " (try --help)");
            }
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(file, System.getenv(), overrides);
        } catch (ConfigException e) {
            fail("invalid configuration: " + e.getMessage());
            return;
        }
        LogSettings.apply(config.log());
        if (config.apiKeyGenerated()) {
            log.warn("no api-key configured; generated one for this run: apiKey={} (set GATEWAY_API_KEY to choose it)",
                    config.apiKeys().get(0));
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (ConfigException e) {
            fail("invalid configuration: " + e.getMessage());
            return;
        } catch (ListenException e) {
            // One line naming the address (a taken port is an operator's everyday mistake, not a crash).
            cli.error(e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            log.error("cannot start: {}", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "pushgate-shutdown"));
        try {
            gateway.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The gateway's version: from {@code pushgate-version.properties}, written by the build. */
    static String version() {
        try (InputStream in = GatewayMain.class.getResourceAsStream("/pushgate-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = GatewayMain.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        cli.error(message);
        System.exit(2);
    }

    static String help() {
        StringBuilder sb = new StringBuilder()
                .append("pushgate: a real-time push gateway (WebSocket fan-out, HTTP and Redis publish)\n\n")
                .append("usage: java -jar gateway.jar [--config FILE.yaml] [--port N] [--version] [--help]\n"
                        + "       (--config=FILE and --port=N work too)\n\n")
                .append("Every key can be set in the YAML file or by its environment variable. Sizes take B, KiB, MiB\n"
                        + "or GiB (64KiB), durations ms, s, m or h (30s); 0 needs no unit. An unknown key or GATEWAY_*\n"
                        + "variable stops the gateway. Booleans are true or false.\n\n");
        for (ConfigKey k : ConfigKeys.ALL) {
            sb.append(String.format("  %-26s %-32s default %-24s%n      %s%n", k.name(), k.envVar(),
                    k.defaultValue().isEmpty() ? "(empty)" : k.defaultValue(), k.meaning()));
        }
        sb.append("\nNamespace policies: namespaces.<name>.{publish,presence,join-leave,anonymous,slow-consumer,"
                + "history-size,history-ttl} (env GATEWAY_NAMESPACES_<NAME>_PUBLISH ...), defaults in "
                + "namespace-defaults.*\n");
        return sb.toString();
    }
}
