package dev.pushgate.bench.report;

/** The fanout scenario: the setup it ran with, how subscribing went, and the one measurement window. */
public record FanoutResult(RunSetup setup, ConnectResult subscribe, WindowResult window) {
}
