package dev.pushgate.gateway.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The selector scanner finds metrics and their matchers, and nothing else (functions, keywords, label lists). */
class PromQlTest {

    @Test
    void theSelectorScannerFindsMetricsAndMatchersOnly() {
        List<PromQl.Selector> found = PromQl.selectors("histogram_quantile(0.99, sum by (instance, le) (rate(a_bucket{x=\"1\", "
                + "y=~\"p|q\",}[5m]))) > 0.25 and on (instance) b offset 5m unless max(c{instance=~\"$i\"}) "
                + "or sum without (le) (d) / count(label_replace(e, \"f\", \"g\", \"\", \"\"))");
        assertEquals(List.of("a_bucket", "b", "c", "d", "e"), found.stream().map(PromQl.Selector::metric).toList());
        assertEquals(new PromQl.LabelMatcher("x", "=", "1"), found.get(0).matchers().get("x="));
        assertEquals(new PromQl.LabelMatcher("y", "=~", "p|q"), found.get(0).matchers().get("y=~"));
        assertEquals("$i", found.get(2).matchers().get("instance=~").value());
        assertEquals("a_bucket{x=\"1\",y=~\"p|q\"}", PromQl.matcher(found.get(0), Set.of()));
        assertEquals("c{}", PromQl.matcher(found.get(2), Set.of("instance")));
    }
}
