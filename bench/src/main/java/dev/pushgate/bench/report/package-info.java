/**
 * What the user sees: result records, the human summary and progress text, the {@code RESULT {json}} line, and the
 * {@link dev.pushgate.bench.report.Console}, the one class that writes to the terminal.
 */
package dev.pushgate.bench.report;
