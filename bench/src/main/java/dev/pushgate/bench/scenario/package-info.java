/**
 * The scenarios: fanout (one measured publishing window), ramp (windows at rising rates) and connections (idle
 * connections and memory). Each builds a result record from {@code report} and hands it to the console.
 */
package dev.pushgate.bench.scenario;
