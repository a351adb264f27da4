package org.anytls4j.anytls.session;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * What a client session knows of its server's protocol version (§7.3): the version ServerSettings announced,
 * whether it is known yet, the version other sessions to the same server learned (a stand-in until then), and how
 * long a first stream waits for ServerSettings before taking silence for a v1 server. Confined to the session's
 * event loop, except {@link #expect}.
 */
final class PeerVersion {
    private static final long DEFAULT_DISCOVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * Discovery waits this many handshake round trips for ServerSettings: a v2 server answers Settings before it
     * dials anything, so its answer takes about one round trip; a v1 server never answers.
     */
    private static final int DISCOVERY_ROUND_TRIPS = 4;
    private static final long MIN_DISCOVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private int announced;
    /** True once ServerSettings arrived, or once silence showed the server to be v1. */
    private boolean known;
    private volatile int expected;
    /** The TLS handshake's duration, about one round trip to the server; 0 when unknown. */
    private long handshakeNanos;

    /** The version ServerSettings announced; 0 until then (and for v1 servers, forever). */
    int announced() {
        return announced;
    }

    boolean isKnown() {
        return known;
    }

    /** The version to act on now: the announced one once known, else the one other sessions learned. */
    int assumed() {
        return known ? announced : expected;
    }

    /** The server's version as other sessions learned it; any thread. */
    void expect(int version) {
        expected = version;
    }

    void handshakeTook(long nanos) {
        handshakeNanos = Math.max(0, nanos);
    }

    /** ServerSettings arrived; without a positive version in it, the announced version stays 0. */
    void announce(OptionalInt version) {
        known = true;
        if (version.isPresent() && version.getAsInt() > 0) {
            announced = version.getAsInt();
        }
    }

    /** Silence past {@link #discoveryNanos}: the server speaks v1. */
    void silenceMeansV1() {
        known = true;
    }

    /**
     * How long a first stream waits for ServerSettings before taking the server for v1: a few handshake round trips
     * (at least 50 ms), never more than the SYNACK timeout ({@code synackNanos}, 0 = off: then 3 s). The reference
     * client does not wait at all; a wrong guess (a v2 server slower than that) costs only the confirmation of this
     * one open, since a late SYNACK or ServerSettings is still honoured.
     */
    long discoveryNanos(long synackNanos) {
        long ceiling = synackNanos > 0 ? synackNanos : DEFAULT_DISCOVERY_NANOS;
        if (handshakeNanos <= 0) {
            return ceiling;
        }
        long scaled = handshakeNanos > Long.MAX_VALUE / DISCOVERY_ROUND_TRIPS ? Long.MAX_VALUE
                : handshakeNanos * DISCOVERY_ROUND_TRIPS;
        return Math.min(ceiling, Math.max(MIN_DISCOVERY_NANOS, scaled));
    }
}
