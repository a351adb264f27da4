package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.HostConfig;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.itests.support.Socks5Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two client configurations give two independent transports, and the reference host — a real bundle in the same
 * framework — selects each by {@code transport.name} through its {@code outbound.target}: what a proxy platform does.
 */
class HostSelectionIT extends FelixIT {
    private static LoopbackAnyTlsServer serverA;
    private static LoopbackAnyTlsServer serverB;

    @BeforeAll
    static void startServers() throws Exception {
        serverA = peers.anyTlsServer("server-a", "password a");
        serverB = peers.anyTlsServer("server-b", "password b");
    }

    @Override
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launchWithHost(name);
    }

    @Test
    void eachHostRoutesThroughTheTransportItSelectsByName() throws Exception {
        felix.configure(CLIENT_PID, "a", ClientConfig.of("via-a", serverA.hostPort(), "password a", peers.pki())
                .toDictionary());
        felix.configure(CLIENT_PID, "b", ClientConfig.of("via-b", serverB.hostPort(), "password b", peers.pki())
                .toDictionary());
        felix.awaitTransport("via-a");
        felix.awaitTransport("via-b");
        InetSocketAddress hostA = listen(HostConfig.via("socks-a", "via-a"), "socks-a");
        HostConfig toB = HostConfig.via("socks-b", "via-b");
        InetSocketAddress hostB = listen(toB, "socks-b");
        Configuration hostBConfiguration = felix.configurationAdmin()
                .getFactoryConfiguration(HostConfig.PID, "socks-b", "?");

        long aBefore = serverA.stats().streamsTotal();
        long bBefore = serverB.stats().streamsTotal();
        echoThrough(hostA, "to server A");
        assertThat(serverA.stats().streamsTotal()).isEqualTo(aBefore + 1);
        assertThat(serverB.stats().streamsTotal()).isEqualTo(bBefore);

        echoThrough(hostB, "to server B");
        echoThrough(hostB, "to server B again");
        assertThat(serverB.stats().streamsTotal()).isEqualTo(bBefore + 2);
        assertThat(serverA.stats().streamsTotal()).isEqualTo(aBefore + 1);

        // Selecting the other transport is a configuration change of the host only, applied on the running
        // listener (same address); SCR rebinds the reference in the background.
        hostBConfiguration.update(HostConfig.via("socks-b", "via-a").toDictionary());
        await().atMost(TIMEOUT).until(() -> {
            echoThrough(hostB, "now to server A");
            return serverA.stats().streamsTotal() > aBefore + 1;
        });
        long aSwitched = serverA.stats().streamsTotal();
        long bSwitched = serverB.stats().streamsTotal();
        echoThrough(hostB, "and only to server A");
        assertThat(serverA.stats().streamsTotal()).isEqualTo(aSwitched + 1);
        assertThat(serverB.stats().streamsTotal()).isEqualTo(bSwitched);
    }

    @Test
    void aHostWhoseTransportIsMissingRefusesAndPicksItUpWhenItAppears() throws Exception {
        InetSocketAddress host = listen(HostConfig.via("socks-late", "late"), "socks-late");
        try (Socks5Connection refused = Socks5Connection.open(host, peers.echo().address(), TIMEOUT)) {
            assertThat(refused.reply()).as("SOCKS5 reply with no transport named 'late'").isNotZero();
        }

        felix.configure(CLIENT_PID, "late", ClientConfig.of("late", serverA.hostPort(), "password a", peers.pki())
                .toDictionary());
        felix.awaitTransport("late");
        // The host binds the transport on SCR's thread after the registration event: wait for it to route.
        await().atMost(TIMEOUT).until(() -> {
            try (Socks5Connection connection = Socks5Connection.open(host, peers.echo().address(), TIMEOUT)) {
                return connection.reply() == 0;
            }
        });
        echoThrough(host, "late but there");
    }

    private InetSocketAddress listen(HostConfig host, String name) throws Exception {
        return listenAfter(() -> felix.configure(HostConfig.PID, name, host.toDictionary()), name);
    }

    private InetSocketAddress listenAfter(ThrowingAction change, String name) throws Exception {
        var bound = HostConfig.bound(log, name);
        change.run();
        return bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void echoThrough(InetSocketAddress host, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        try (Socks5Connection connection = Socks5Connection.open(host, peers.echo().address(), TIMEOUT)) {
            assertThat(connection.echo(payload)).isEqualTo(payload);
        }
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }
}
