/**
 * The pushgate wire protocol: client and server messages, the JSON codec, topic rules, error and close codes.
 * The contract is written down in {@code protocol/PROTOCOL.md}; this package depends on Jackson only.
 */
package dev.pushgate.protocol;
