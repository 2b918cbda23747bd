package dev.pushgate.gateway;

import dev.pushgate.gateway.config.ConfigKey;
import dev.pushgate.gateway.config.ConfigKeys;
import dev.pushgate.protocol.CloseCode;
import dev.pushgate.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's configuration table and PROTOCOL.md's code tables list everything the code has. */
class DocsMatchCodeTest {
    private static String read(String path) throws Exception {
        return Files.readString(Path.of("..").resolve(path));
    }

    @Test
    void readmeListsEveryConfigKeyWithItsEnvironmentVariableAndDefault() throws Exception {
        String readme = read("README.md");
        for (ConfigKey k : ConfigKeys.ALL) {
            String row = "| `" + k.name() + "` | `" + k.envVar() + "` | "
                    + (k.defaultValue().isEmpty() ? "(empty)" : "`" + k.defaultValue() + "`") + " |";
            assertTrue(readme.contains(row), "README config table lacks or misstates: " + row);
        }
    }

    @Test
    void protocolListsEveryErrorAndCloseCode() throws Exception {
        String protocol = read("protocol/PROTOCOL.md");
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(protocol.contains("| `" + c.wire() + "` |"), "PROTOCOL.md lacks error code " + c.wire());
        }
        for (CloseCode c : CloseCode.values()) {
            assertTrue(protocol.contains("| " + c.code() + " |"), "PROTOCOL.md lacks close code " + c.code());
        }
    }
}
