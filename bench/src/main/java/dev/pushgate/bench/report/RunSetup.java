package dev.pushgate.bench.report;

import java.util.List;

/** What a run was configured with, echoed in the summary and the result line. */
public record RunSetup(String scenario, String target, String publish, List<String> urls, int subscribers,
                       int topics, int publishers, int payloadBytes, int threads, String transport) {
    public RunSetup {
        urls = List.copyOf(urls);
    }
}
