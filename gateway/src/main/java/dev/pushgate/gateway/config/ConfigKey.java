package dev.pushgate.gateway.config;

import java.util.Locale;

/**
 * One configuration key: its dotted name (as written in the YAML file), default and meaning. The environment
 * variable is derived: {@code GATEWAY_} + the name upper-cased with {@code .} and {@code -} turned into {@code _}.
 */
public record ConfigKey(String name, String defaultValue, String meaning) {
    /** The prefix of every configuration variable. */
    public static final String ENV_PREFIX = "GATEWAY_";

    /** The environment variable that overrides this key. */
    public String envVar() {
        return envVarOf(name);
    }

    /** The environment variable for any dotted key name. */
    public static String envVarOf(String name) {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
