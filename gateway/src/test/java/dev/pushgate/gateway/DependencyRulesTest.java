package dev.pushgate.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The package rules of the house style, checked on the sources: only {@code broker.redis} imports lettuce; the
 * packages that hold state and policy ({@code session}, {@code broker}, {@code presence}, {@code auth}) import no
 * Netty; only the composition root imports {@code transport}.
 */
class DependencyRulesTest {
    private static final Path MAIN = Path.of("src/main/java/dev/pushgate/gateway");

    @Test
    void onlyTheRedisBrokerImportsLettuce() throws IOException {
        assertEquals(List.of(), offenders("import io.lettuce", p -> !p.startsWith(MAIN.resolve("broker/redis"))));
    }

    @Test
    void stateAndPolicyPackagesImportNoNetty() throws IOException {
        assertEquals(List.of(), offenders("import io.netty", p -> Stream.of("session", "broker", "presence", "auth")
                .anyMatch(pkg -> p.startsWith(MAIN.resolve(pkg)))));
    }

    @Test
    void onlyTheCompositionRootImportsTransport() throws IOException {
        assertEquals(List.of(), offenders("import dev.pushgate.gateway.transport.",
                p -> !p.startsWith(MAIN.resolve("transport")) && !p.equals(MAIN.resolve("Gateway.java"))));
    }

    private static List<String> offenders(String importPrefix, java.util.function.Predicate<Path> checked)
            throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).filter(checked).toList()) {
                if (Files.readAllLines(p).stream().anyMatch(l -> l.startsWith(importPrefix))) {
                    out.add(MAIN.relativize(p).toString());
                }
            }
        }
        return out;
    }
}
