package org.anytls4j.management.model;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How the tools write values: plain numbers (so scripts and JMX agree), short durations, addresses. */
public final class Texts {
    private Texts() {
    }

    public static String pair(long a, long b) {
        return a + " / " + b;
    }

    /** {@code -} for a counter the transport cannot count ({@code -1}). */
    public static String counter(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    /** Whole seconds below a minute, then m/s, then h/m: {@code 42s}, {@code 3m07s}, {@code 5h02m}. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    public static String since(Instant then, Instant now) {
        return duration(Duration.between(then, now));
    }

    public static String address(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    public static String orDash(Optional<?> value) {
        return value.map(String::valueOf).orElse("-");
    }
}
