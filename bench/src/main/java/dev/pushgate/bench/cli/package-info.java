/** The command line: flag parsing, the option records of each concern, defaults and validation, and usage text. */
package dev.pushgate.bench.cli;
