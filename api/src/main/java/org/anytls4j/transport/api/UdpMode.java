package org.anytls4j.transport.api;

/** How a UDP flow addresses its peers. */
public enum UdpMode {
    /**
     * One peer, the request's destination; outbound datagrams' own peer is ignored. The cheapest mode, right for
     * DNS or QUIC to one host.
     */
    CONNECTED,
    /**
     * Each datagram names its peer, which may be a domain; replies report the peer they came from. Needed for
     * SOCKS5 {@code UDP ASSOCIATE} with full-cone semantics. The request's destination may have port 0.
     */
    ASSOCIATION
}
