package dev.pushgate.gateway;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README claims only what was measured: its "What has been measured" paragraph quotes numbers that are in
 * BENCHMARKS.md, and no sentence promises scale nobody measured ("millions of connections").
 */
class ReadmeClaimsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyNumberOfTheMeasuredParagraphIsInTheBenchmarks() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String benchmarks = Files.readString(ROOT.resolve("BENCHMARKS.md"));
        int start = readme.indexOf("**What has been measured**");
        assertTrue(start > 0 && start < readme.indexOf("## Quick start"), "README states what was measured up front");
        String paragraph = readme.substring(start, readme.indexOf("\n\n", start));
        List<String> unbacked = new ArrayList<>();
        Matcher m = Pattern.compile("\\d[\\d,.]*(–[\\d,.]+)?(k\\b)?").matcher(paragraph);
        int numbers = 0;
        while (m.find()) {
            numbers++;
            String n = m.group().replaceAll("[.,]$", "");
            if (!benchmarks.contains(n)) {
                unbacked.add(n);
            }
        }
        assertTrue(numbers >= 8, paragraph);
        assertTrue(unbacked.isEmpty(), "README numbers not in BENCHMARKS.md: " + unbacked);
    }

    @Test
    void noUnmeasuredScale() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md")).toLowerCase(Locale.ROOT);
        for (String claim : List.of("millions", "million connections", "web scale", "blazing")) {
            assertFalse(readme.contains(claim), "README claims '" + claim + "'");
        }
    }
}
