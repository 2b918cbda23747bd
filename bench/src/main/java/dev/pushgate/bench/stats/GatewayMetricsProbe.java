package dev.pushgate.bench.stats;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the gateways' Prometheus endpoints ({@code /metrics}) for what an overload run watches: the outbound node
 * budget, heap and direct memory, dropped messages by reason, slow-consumer closes and GC pauses. A gateway that
 * does not answer within {@link #TIMEOUT} gives no sample that time. Used by one thread.
 */
public final class GatewayMetricsProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final List<URI> urls;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public GatewayMetricsProbe(List<URI> urls) {
        this.urls = List.copyOf(urls);
    }

    /** What one gateway reported. Bytes; counters since its start; GC pause max is Micrometer's rolling max. */
    public record Sample(URI url, long budgetUsed, long budgetLimit, long heapUsed, long directUsed,
                         Map<String, Long> dropped, long slowCloses, double gcPauseMaxSeconds,
                         double gcPauseSeconds, long gcPauses) {
        public Sample {
            dropped = Map.copyOf(dropped);
        }
    }

    /**
     * One sample per gateway that answered within {@link #TIMEOUT}. The gateways are asked at once: /metrics is
     * served by the same event loops that are behind during an overload, so a late answer is common and one
     * gateway's must not cost the other's.
     */
    public List<Sample> sample() {
        List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>(urls.size());
        for (URI url : urls) {
            asked.add(client.sendAsync(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Sample> out = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            try {
                HttpResponse<String> r = asked.get(i).get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
                if (r.statusCode() == 200) {
                    out.add(parse(urls.get(i), r.body()));
                }
            } catch (ExecutionException | TimeoutException e) {
                // not answering in time (overloaded, or gone): no sample this time
                asked.get(i).cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** Parses Prometheus text exposition {@code text} from {@code url}. */
    static Sample parse(URI url, String text) {
        long budgetUsed = 0;
        long budgetLimit = 0;
        long heap = 0;
        long direct = 0;
        long slowCloses = 0;
        double gcMax = 0;
        double gcSum = 0;
        long gcCount = 0;
        Map<String, Long> dropped = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            int brace = line.indexOf('{');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace, space) : "";
            switch (name) {
                case "pushgate_outbound_budget_used_bytes" -> budgetUsed += (long) value;
                case "pushgate_outbound_budget_limit_bytes" -> budgetLimit += (long) value;
                case "jvm_memory_used_bytes" -> heap += labels.contains("area=\"heap\"") ? (long) value : 0;
                case "jvm_buffer_memory_used_bytes" -> direct += labels.contains("id=\"direct\"") ? (long) value : 0;
                case "pushgate_messages_dropped_total" -> dropped.merge(label(labels, "reason"), (long) value,
                        Long::sum);
                case "pushgate_slow_consumer_closes_total" -> slowCloses += (long) value;
                case "jvm_gc_pause_seconds_max" -> gcMax = Math.max(gcMax, value);
                case "jvm_gc_pause_seconds_sum" -> gcSum += value;
                case "jvm_gc_pause_seconds_count" -> gcCount += (long) value;
                default -> {
                }
            }
        }
        return new Sample(url, budgetUsed, budgetLimit, heap, direct, dropped, slowCloses, gcMax, gcSum, gcCount);
    }

    private static String label(String labels, String name) {
        String key = name + "=\"";
        int at = labels.indexOf(key);
        if (at < 0) {
            return "";
        }
        int start = at + key.length();
        int end = labels.indexOf('"', start);
        return end < 0 ? labels.substring(start) : labels.substring(start, end);
    }
}
