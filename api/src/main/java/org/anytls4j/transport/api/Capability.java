package org.anytls4j.transport.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Optional behaviour a transport offers beyond the basic contract; published as the {@code transport.capabilities}
 * service property (see {@link TransportConstants#TRANSPORT_CAPABILITIES}) by {@link #wireName()}.
 */
public enum Capability {
    /** The stream channel is a Netty {@code DuplexChannel} whose {@code shutdownOutput()} sends a real half-close. */
    HALF_CLOSE("half-close"),
    /** The transport can tell when the destination is connected, so an open can wait for it. */
    CONNECT_CONFIRMATION("connect-confirmation"),
    /** Domain destinations are resolved by the far end, not locally. */
    REMOTE_RESOLUTION("remote-resolution"),
    /** {@link UdpMode#ASSOCIATION} is supported: one flow, per-datagram peers. */
    UDP_ASSOCIATION("udp-association"),
    /** Datagrams ride a reliable stream: no loss, but head-of-line blocking (matters to QUIC). */
    UDP_OVER_STREAM("udp-over-stream"),
    /** Streams reuse pooled carrier sessions. */
    MULTIPLEXED("multiplexed"),
    /**
     * The first payload follows the open request directly, without waiting for a round trip: the transport acts on
     * {@link OpenRequest#earlyData()} (see there for how the open and a failed dial then look to the host).
     */
    EARLY_DATA("early-data"),
    /** The preferred event loop passed to {@code open} is honoured. */
    LOOP_AFFINITY("loop-affinity"),
    /** Carriers are never shared between requests with different isolation keys. */
    ISOLATION("isolation");

    private final String wireName;

    Capability(String wireName) {
        this.wireName = wireName;
    }

    /** The value used in the {@code transport.capabilities} service property. */
    public String wireName() {
        return wireName;
    }

    /**
     * The capability with this wire name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names, if none matches
     */
    public static Capability fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (Capability capability : values()) {
            if (capability.wireName.equalsIgnoreCase(wireName.trim())) {
                return capability;
            }
        }
        throw new IllegalArgumentException("Unknown capability '" + wireName + "', expected one of "
                + Arrays.stream(values()).map(Capability::wireName).collect(Collectors.joining(", ")));
    }
}
