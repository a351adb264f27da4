package org.anytls4j.host.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.anytls4j.transport.api.RequestContext;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/** What every connection of one {@link ProxyServer} shares: its name, users, outbound and time limits. */
final class ProxyOptions {
    private final String name;
    private final ProxyUsers users;
    private final Supplier<NettyOutboundTransport> outbound;
    private final Duration openTimeout;
    private final Duration handshakeTimeout;
    private final Duration halfCloseLinger;
    private final boolean earlyData;
    private final AtomicLong connections;
    private final OpenFailureLog openFailures;

    ProxyOptions(String name, ProxyUsers users, Supplier<NettyOutboundTransport> outbound, Duration openTimeout,
            Duration handshakeTimeout, Duration halfCloseLinger, boolean earlyData) {
        this(name, users, outbound, openTimeout, handshakeTimeout, halfCloseLinger, earlyData, new AtomicLong(),
                new OpenFailureLog(name));
    }

    private ProxyOptions(String name, ProxyUsers users, Supplier<NettyOutboundTransport> outbound,
            Duration openTimeout, Duration handshakeTimeout, Duration halfCloseLinger, boolean earlyData,
            AtomicLong connections, OpenFailureLog openFailures) {
        this.name = name;
        this.users = users;
        this.outbound = outbound;
        this.openTimeout = openTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.halfCloseLinger = halfCloseLinger;
        this.earlyData = earlyData;
        this.connections = connections;
        this.openFailures = openFailures;
    }

    /** These options with new users and time limits; connection ids and the failure log go on where they were. */
    ProxyOptions with(ProxyUsers newUsers, Duration newOpenTimeout, Duration newHandshakeTimeout) {
        return new ProxyOptions(name, newUsers, outbound, newOpenTimeout, newHandshakeTimeout, halfCloseLinger,
                earlyData, connections, openFailures);
    }

    String name() {
        return name;
    }

    ProxyUsers users() {
        return users;
    }

    /** The transport to open through now; empty while none is available (the selection is live). */
    Optional<NettyOutboundTransport> outbound() {
        return Optional.ofNullable(outbound.get());
    }

    /** Where failed opens are reported, rate-limited per transport. */
    OpenFailureLog openFailures() {
        return openFailures;
    }

    Duration openTimeout() {
        return openTimeout;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    Duration halfCloseLinger() {
        return halfCloseLinger;
    }

    /** Whether TCP opens ask for early data where the transport offers it (the client is answered at once). */
    boolean earlyData() {
        return earlyData;
    }

    /** The request context of a new open from {@code source}, with a connection id unique in this server. */
    RequestContext requestContext(String protocol, InetSocketAddress source, String user) {
        return RequestContext.builder(name + "-" + connections.incrementAndGet())
                .inbound(name)
                .inboundProtocol(protocol)
                .source(source)
                .user(user)
                .build();
    }
}
