package org.anytls4j.transport.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to open a TCP stream or a UDP flow through an outbound transport.
 *
 * <p>Immutable. Start with {@link #tcp(Destination)} or {@link #udp(Destination, UdpMode)}; a composite transport
 * derives its own request with {@link #toBuilder()} (a shorter remaining timeout, another destination).
 */
public final class OpenRequest {
    private final Network network;
    private final Destination destination;
    private final UdpMode udpMode;
    private final Duration openTimeout;
    private final RequestContext context;
    private final boolean earlyData;

    private OpenRequest(Builder builder) {
        this.network = builder.network;
        this.destination = builder.destination;
        this.udpMode = builder.udpMode;
        this.openTimeout = builder.openTimeout;
        this.context = builder.context;
        this.earlyData = builder.earlyData;
    }

    /**
     * A TCP stream to {@code destination}.
     *
     * @throws IllegalArgumentException naming the destination, if its port is 0
     */
    public static Builder tcp(Destination destination) {
        return new Builder(Network.TCP, destination, UdpMode.CONNECTED);
    }

    /**
     * A UDP flow. {@link UdpMode#CONNECTED} sends to {@code destination} and needs a port 1..65535;
     * {@link UdpMode#ASSOCIATION} lets each datagram name its peer, and {@code destination} (which may have port 0,
     * such as {@code 0.0.0.0:0}) only says what the client announced.
     *
     * @throws IllegalArgumentException naming the destination, if the mode is CONNECTED and its port is 0
     */
    public static Builder udp(Destination destination, UdpMode mode) {
        return new Builder(Network.UDP, destination, Objects.requireNonNull(mode, "mode"));
    }

    public Network network() {
        return network;
    }

    public Destination destination() {
        return destination;
    }

    /** {@link UdpMode#CONNECTED} for TCP. */
    public UdpMode udpMode() {
        return udpMode;
    }

    /**
     * The whole budget for the open, from the call until the future completes. The transport's own limits apply as
     * well; the smaller one wins. Empty: only the transport's limits.
     */
    public Optional<Duration> openTimeout() {
        return Optional.ofNullable(openTimeout);
    }

    /** Never null; {@link RequestContext#EMPTY} unless the host set one. */
    public RequestContext context() {
        return context;
    }

    /**
     * Whether the host asks for an <b>early-data open</b>; {@code false} unless set. Only a transport that offers
     * {@link Capability#EARLY_DATA} acts on it, and only for TCP; any other transport (and any UDP request) opens as
     * usual. For an early-data open the contract of {@code NettyOutboundTransport.open} changes in three points:
     * <ul>
     *   <li><b>When the future completes:</b> as soon as the open request (for AnyTLS: SYN and the destination
     *       address) is queued on a live carrier, without waiting for the far end to reach the destination. The
     *       channel is active then and its {@code CONFIRMED} attribute is {@code false}. Failures before that point
     *       (no carrier could be dialled, the open timed out, the request is unsendable) still fail the future.</li>
     *   <li><b>The first bytes:</b> what the host writes and flushes right after the future completed follows the
     *       open request without waiting for an answer. The transport may send the open request at once or hold it
     *       briefly to send both together; AnyTLS sends it at once, as anytls-go does, so that the far end dials the
     *       destination while the host still answers its client.</li>
     *   <li><b>A failed dial arrives later, on the channel:</b> when the far end cannot reach the destination, the
     *       host's handler sees {@code exceptionCaught} with a {@link TransportException} in phase
     *       {@link TransportException.Phase#REMOTE_CONNECT} and the reason a confirmed open would have failed with
     *       (for example {@code DESTINATION_REFUSED}), and then the channel closes. Bytes written before that are
     *       lost. A host that answers its client before the destination is reached (a SOCKS5 success) can only
     *       report such a failure by closing the client's connection.</li>
     * </ul>
     * A transport that offers the capability may still confirm an open it was asked to open early, when it judges
     * that safer (the AnyTLS client does so on a reused session, so that an open whose session proves dead can move
     * to a fresh one before the host has the channel); the channel's {@code CONFIRMED} attribute tells which.
     */
    public boolean earlyData() {
        return earlyData;
    }

    public Builder toBuilder() {
        Builder builder = new Builder(network, destination, udpMode);
        builder.openTimeout = openTimeout;
        builder.context = context;
        builder.earlyData = earlyData;
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OpenRequest)) {
            return false;
        }
        OpenRequest other = (OpenRequest) o;
        return network == other.network
                && destination.equals(other.destination)
                && udpMode == other.udpMode
                && Objects.equals(openTimeout, other.openTimeout)
                && context.equals(other.context)
                && earlyData == other.earlyData;
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, destination, udpMode, openTimeout, context, earlyData);
    }

    /** For logs, e.g. {@code tcp example.com:443 timeout=10000ms conn=c1 inbound=socks-main}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(network.wireName()).append(' ').append(destination);
        if (network == Network.UDP) {
            text.append(' ').append(udpMode.name().toLowerCase(Locale.ROOT));
        }
        if (openTimeout != null) {
            text.append(" timeout=").append(openTimeout.toMillis()).append("ms");
        }
        if (earlyData) {
            text.append(" early-data");
        }
        return text.append(' ').append(context).toString();
    }

    /** Collects the fields of an {@link OpenRequest}; not thread-safe. */
    public static final class Builder {
        private final Network network;
        private final UdpMode udpMode;
        private Destination destination;
        private Duration openTimeout;
        private RequestContext context = RequestContext.EMPTY;
        private boolean earlyData;

        private Builder(Network network, Destination destination, UdpMode udpMode) {
            this.network = network;
            this.udpMode = udpMode;
            destination(destination);
        }

        /**
         * Replaces the destination, with the port rule of the request's network and mode.
         *
         * @throws IllegalArgumentException naming the destination, if its port is 0 where a port is required
         */
        public Builder destination(Destination destination) {
            Objects.requireNonNull(destination, "destination");
            if (destination.port() == 0 && udpMode != UdpMode.ASSOCIATION) {
                String what = network == Network.TCP ? "TCP" : "connected UDP";
                throw new IllegalArgumentException(
                        "A " + what + " destination needs a port in 1..65535, got " + destination);
            }
            this.destination = destination;
            return this;
        }

        /**
         * @param openTimeout positive
         * @throws IllegalArgumentException naming the value, if it is zero or negative
         */
        public Builder openTimeout(Duration openTimeout) {
            Objects.requireNonNull(openTimeout, "openTimeout");
            if (openTimeout.isZero() || openTimeout.isNegative()) {
                throw new IllegalArgumentException("openTimeout must be positive, got " + openTimeout);
            }
            this.openTimeout = openTimeout;
            return this;
        }

        /** Removes the open timeout, leaving only the transport's own limits. */
        public Builder noOpenTimeout() {
            this.openTimeout = null;
            return this;
        }

        public Builder context(RequestContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Asks for an early-data open, see {@link OpenRequest#earlyData()}. */
        public Builder earlyData(boolean earlyData) {
            this.earlyData = earlyData;
            return this;
        }

        public OpenRequest build() {
            return new OpenRequest(this);
        }
    }
}
