package dev.pushgate.bench.report;

import java.util.List;

/**
 * What a run was configured with, echoed in the summary and the result line. {@code transport} is the client's
 * Netty transport (epoll, nio); {@code subscribeVia} how subscribers receive (ws, sse, poll).
 */
public record RunSetup(String scenario, String target, String publish, List<String> urls, int subscribers,
                       int topics, int publishers, int payloadBytes, int threads, String transport,
                       String subscribeVia) {
    public RunSetup {
        urls = List.copyOf(urls);
    }
}
