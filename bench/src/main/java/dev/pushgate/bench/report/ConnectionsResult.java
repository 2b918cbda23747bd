package dev.pushgate.bench.report;

import java.util.List;

/**
 * The connections scenario: how opening went, how many were still open after the hold, and per gateway process
 * the memory before and after with the difference per open connection (heap {@code -1} when unknown).
 */
public record ConnectionsResult(RunSetup setup, ConnectResult connect, int openAfterHold, List<Memory> memory) {
    public ConnectionsResult {
        memory = List.copyOf(memory);
    }

    /** One gateway process's memory around the run; a per-connection figure is NaN when unknown. */
    public record Memory(long pid, long rssBefore, long rssAfter, long heapBefore, long heapAfter, int connections) {
        public double rssPerConnection() {
            return perConnection(rssBefore, rssAfter);
        }

        public double heapPerConnection() {
            return perConnection(heapBefore, heapAfter);
        }

        private double perConnection(long before, long after) {
            return before < 0 || after < 0 || connections == 0 ? Double.NaN : (double) (after - before) / connections;
        }
    }
}
