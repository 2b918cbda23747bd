package dev.pushgate.gateway.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test-side exposition-format parser accepts the format and refuses what a scraper would. */
class OpsPrometheusTextTest {

    @Test
    void readsFamiliesLabelsEscapesAndHistograms() {
        PrometheusText t = PrometheusText.parse("""
                # HELP a_total A counter with \\\\ and \\n in its help
                # TYPE a_total counter
                a_total{code="1000",path="C:\\\\x \\"q\\"\\nz"} 3.0
                a_total{code="abnormal",} 2 1700000000000
                # a comment
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.1"} 1
                h_seconds_bucket{le="5.0E-1"} 2
                h_seconds_bucket{le="+Inf"} 4
                h_seconds_count 4
                h_seconds_sum 1.5e-3
                g NaN
                i -Inf
                """);
        assertEquals("counter", t.family("a_total").type());
        assertEquals("A counter with \\ and \n in its help", t.family("a_total").help());
        assertEquals(5.0, t.value("a_total"));
        assertEquals(3.0, t.value("a_total", "path", "C:\\x \"q\"\nz"));
        assertEquals(1700000000000L, t.family("a_total").samples().get(1).timestamp());
        assertEquals(5, t.family("h_seconds").samples().size());
        assertEquals(0.0015, t.value("h_seconds_sum"));
        assertTrue(Double.isNaN(t.value("g")));
        assertEquals("untyped", t.family("i").type());
    }

    @Test
    void refusesWhatAScraperWould() {
        for (String bad : new String[] {
                "a 1",                                            // no final newline
                "a{b=\"1\"} one\n",                               // value
                "a{b=\"1\"\n",                                    // unterminated labels
                "a{b=\"x\\q\"} 1\n",                              // unknown escape
                "a{b=\"1\",b=\"2\"} 1\n",                         // label twice
                "a{1b=\"1\"} 1\n",                                // label name
                "a 1\na 2\n",                                     // series twice
                "# TYPE a counter\n# TYPE a counter\n",           // TYPE twice
                "# TYPE a bogus\n",                               // type
                "a 1\n# TYPE a gauge\n",                          // TYPE after samples
                "a 1\nb 1\na{x=\"1\"} 1\n",                       // family not together
                "a 1 soon\n",                                     // timestamp
                "a  1\n",                                         // two spaces
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", // falling buckets
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",                          // no +Inf
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n",                       // count differs
                "# TYPE h histogram\nh_bucket 1\nh_count 1\n"}) {                               // no le
            assertThrows(PrometheusText.ParseException.class, () -> PrometheusText.parse(bad), bad);
        }
    }
}
