/**
 * The benchmark payload: {@code {"n":N,"s":S,"t":MICROS,"p":"xxx…"}} padded to a fixed size, written straight into
 * a {@code ByteBuf} and read back by scanning bytes (no JSON tree per message).
 */
package dev.pushgate.bench.payload;
