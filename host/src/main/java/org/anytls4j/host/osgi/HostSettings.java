package org.anytls4j.host.osgi;

import org.anytls4j.common.config.DurationText;
import org.anytls4j.common.config.InstanceNames;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.anytls4j.host.proxy.ProxyUsers;
import org.anytls4j.transport.api.Destination;

/** A validated {@link HostConfiguration}; every message names the property that is wrong. */
final class HostSettings {
    private final String name;
    private final InetSocketAddress listen;
    private final ProxyUsers users;
    private final Duration openTimeout;
    private final Duration handshakeTimeout;
    private final int ioThreads;
    private final boolean earlyData;

    private HostSettings(HostConfiguration config) {
        this.name = InstanceNames.check(config.name(), "name");
        this.listen = new InetSocketAddress(ipAddress(config.listenAddress(), "listenAddress"),
                port(config.port()));
        this.users = ProxyUsers.parse(Arrays.asList(config._users()), ".users");
        this.openTimeout = DurationText.parsePositive(config.openTimeout(), "openTimeout");
        this.handshakeTimeout = DurationText.parsePositive(config.handshakeTimeout(), "handshakeTimeout");
        this.ioThreads = ioThreads(config.ioThreads());
        this.earlyData = config.earlyData();
    }

    /** @throws IllegalArgumentException naming the property, if any value is invalid */
    static HostSettings from(HostConfiguration config) {
        return new HostSettings(config);
    }

    /** An IP literal, never resolved: a listener must not depend on DNS at activation. */
    static InetAddress ipAddress(String text, String property) {
        Destination parsed;
        try {
            parsed = Destination.ofHost(text == null ? "" : text.trim(), 1);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(property + " must be an IP address, got '" + text + "'", invalid);
        }
        if (parsed.isDomain()) {
            throw new IllegalArgumentException(property + " must be an IP address, not a host name: '" + text + "'");
        }
        return parsed.address().orElseThrow();
    }

    private static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        return port;
    }

    static int ioThreads(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("ioThreads must be in 1..64, got " + threads);
        }
        return threads;
    }

    /** Whether {@code other} needs the same listener: name, address and event loops are equal. */
    boolean sameListener(HostSettings other) {
        return name.equals(other.name) && listen.equals(other.listen) && ioThreads == other.ioThreads;
    }

    String name() {
        return name;
    }

    InetSocketAddress listen() {
        return listen;
    }

    ProxyUsers users() {
        return users;
    }

    Duration openTimeout() {
        return openTimeout;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    int ioThreads() {
        return ioThreads;
    }

    boolean earlyData() {
        return earlyData;
    }
}
