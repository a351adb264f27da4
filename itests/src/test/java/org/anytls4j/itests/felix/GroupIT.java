package org.anytls4j.itests.felix;

import org.anytls4j.group.MemberStatus;
import org.anytls4j.group.TransportGroupControl;
import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.HostConfig;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.itests.support.Socks5Connection;
import org.anytls4j.itests.support.SwitchableRelay;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transport groups in a framework: three AnyTLS servers, each behind a relay the test can kill or slow down, three
 * client transports and a group over them, used directly and through the reference host.
 */
class GroupIT extends FelixIT {
    private static final String GROUP_PID = "org.anytls4j.group";
    private static final String PASSWORD = "group password";
    private static final String ALL = "(|(transport.name=via-a)(transport.name=via-b)(transport.name=via-c))";
    private static final List<LoopbackAnyTlsServer> servers = new ArrayList<>();
    private static final List<SwitchableRelay> relays = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            LoopbackAnyTlsServer server = peers.anyTlsServer("server-" + name, PASSWORD);
            servers.add(server);
            relays.add(new SwitchableRelay(server.address(), 0));
        }
    }

    @AfterAll
    static void stopRelays() {
        relays.forEach(SwitchableRelay::close);
    }

    @Override
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launchWithHostAndGroup(name);
    }

    private void client(String name, String hostPort) throws Exception {
        felix.configure(CLIENT_PID, name, ClientConfig.of(name, hostPort, PASSWORD, peers.pki()).toDictionary());
    }

    private void threeClients() throws Exception {
        client("via-a", relays.get(0).hostPort());
        client("via-b", relays.get(1).hostPort());
        client("via-c", relays.get(2).hostPort());
    }

    private Hashtable<String, Object> group(String name, String strategy) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("transport.name", name);
        properties.put("members.target", ALL);
        properties.put("members", new String[] {"via-a", "via-b", "via-c"});
        properties.put("strategy", strategy);
        properties.put("probe", "127.0.0.1:" + peers.echo().address().getPort());
        properties.put("probeInterval", "1h");
        properties.put("probeTimeout", "5s");
        properties.put("lazy", Boolean.FALSE);
        return properties;
    }

    private TransportGroupControl control(String name) throws InterruptedException {
        return felix.services().await(TransportGroupControl.class, AnyTlsFelix.byName(name), TIMEOUT);
    }

    /** Waits until the group has {@code count} members, each with a successful probe. */
    private void awaitProbed(TransportGroupControl control, int count) {
        await().atMost(TIMEOUT).until(() -> control.members().size() == count && control.members().stream()
                .allMatch(m -> m.lastProbe().map(p -> p.success()).orElse(false)));
    }

    /** The member a new stream through {@code transport} runs on; the stream is returned open. */
    private EchoStream stream(NettyOutboundTransport transport) throws Exception {
        return EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
    }

    private static String memberOf(EchoStream stream) {
        return stream.channel().attr(TransportAttributes.CHAIN).get().get(1);
    }

    private String memberOfNewStream(NettyOutboundTransport transport) throws Exception {
        EchoStream stream = stream(transport);
        try {
            stream.echo("which member".getBytes(StandardCharsets.UTF_8), TIMEOUT);
            return memberOf(stream);
        } finally {
            stream.channel().close();
        }
    }

    @Test
    void fallbackMovesNewOpensOffAKilledServerWithoutAFailedOpenAndBackWhenItReturns() throws Exception {
        threeClients();
        felix.configure(GROUP_PID, "fleet", group("fleet", "fallback"));
        NettyOutboundTransport fleet = felix.awaitTransport("fleet");
        TransportGroupControl control = control("fleet");
        awaitProbed(control, 3);
        InetSocketAddress host = listen(HostConfig.via("socks-fleet", "fleet"), "socks-fleet");

        echoThrough(host, "through the group");
        assertThat(memberOfNewStream(fleet)).isEqualTo("via-a");
        EchoStream running = stream(fleet);
        assertThat(memberOf(running)).isEqualTo("via-a");

        relays.get(0).kill();
        try {
            for (int i = 0; i < 5; i++) {
                echoThrough(host, "after the kill " + i);
                assertThat(memberOfNewStream(fleet)).isEqualTo("via-b");
            }
            assertThat(control.failovers()).isPositive();
            assertThat(control.current()).contains("via-b");
            running.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // only the stream on it ended
            assertThat(fleet.stats().opensFailed()).isZero();
        } finally {
            relays.get(0).revive();
        }

        control.probeNow();
        await().atMost(TIMEOUT).until(() -> control.current().equals(java.util.Optional.of("via-a")));
        assertThat(memberOfNewStream(fleet)).isEqualTo("via-a");
        echoThrough(host, "back on the first member");
        assertThat(fleet.health().detail()).hasValueSatisfying(d -> assertThat(d).contains("current via-a"));
    }

    @Test
    void urlTestPrefersTheFasterServerAndDoesNotFlapWithinTolerance() throws Exception {
        // A tolerance well above what a loaded 2-core machine adds to one probe (a new session's handshake, a JIT or
        // GC pause: b and c flapped once on a clean-clone CI run at 40 ms), and a slow member well beyond it.
        try (SwitchableRelay slow = new SwitchableRelay(servers.get(0).address(), 150)) {
            client("via-a", slow.hostPort()); // every chunk to and from server a waits 150 ms
            client("via-b", relays.get(1).hostPort());
            client("via-c", relays.get(2).hostPort());
            Hashtable<String, Object> properties = group("quick", "url-test");
            properties.put("probeInterval", "200ms");
            properties.put("tolerance", "150ms");
            felix.configure(GROUP_PID, "quick", properties);
            NettyOutboundTransport quick = felix.awaitTransport("quick");
            TransportGroupControl control = control("quick");
            awaitProbed(control, 3);

            await().atMost(TIMEOUT).until(() -> control.current().isPresent());
            String chosen = control.current().orElseThrow();
            assertThat(chosen).isIn("via-b", "via-c");
            MemberStatus slowMember = control.members().get(0);
            assertThat(slowMember.lastProbe().orElseThrow().latencyMillis().getAsLong()).isGreaterThanOrEqualTo(300);

            // Several more rounds: b and c stay within the tolerance of each other, so the choice stays.
            Set<String> seen = new TreeSet<>();
            java.time.Instant start = control.members().get(1).lastProbe().orElseThrow().time();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                control.current().ifPresent(seen::add);
                return control.members().get(1).lastProbe().orElseThrow().time()
                        .isAfter(start.plusMillis(800));
            });
            assertThat(seen).containsExactly(chosen);
            assertThat(memberOfNewStream(quick)).isEqualTo(chosen);
        }
    }

    @Test
    void consistentHashingKeepsADestinationOnOneMember() throws Exception {
        threeClients();
        felix.configure(GROUP_PID, "spread", group("spread", "load-balance"));
        NettyOutboundTransport spread = felix.awaitTransport("spread");
        awaitProbed(control("spread"), 3);
        for (String destination : List.of("127.0.0.1", "localhost")) {
            Set<String> members = new TreeSet<>();
            for (int i = 0; i < 5; i++) {
                InetSocketAddress echo = InetSocketAddress.createUnresolved(destination,
                        peers.echo().address().getPort());
                EchoStream stream = EchoStream.openNow(spread, echo, TIMEOUT);
                members.add(memberOf(stream));
                stream.channel().close();
            }
            assertThat(members).as("members used for " + destination).hasSize(1);
        }
    }

    @Test
    void selectSwitchesAtRunTimeWithoutDroppingRunningStreamsAndStoresTheChoice() throws Exception {
        threeClients();
        Hashtable<String, Object> properties = group("pick", "select");
        properties.put("selected", "via-c");
        Configuration configuration = felix.configure(GROUP_PID, "pick", properties);
        NettyOutboundTransport pick = felix.awaitTransport("pick");
        long serviceId = (Long) felix.awaitTransportReference("pick").getProperty("service.id");
        TransportGroupControl control = control("pick");
        await().atMost(TIMEOUT).until(() -> control.members().size() == 3);

        EchoStream running = stream(pick);
        assertThat(memberOf(running)).isEqualTo("via-c");

        control.select("via-b");

        assertThat(memberOfNewStream(pick)).isEqualTo("via-b");
        running.echo("still running".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(running.channel().isActive()).isTrue();
        assertThat(configuration.getProperties().get("selected")).isEqualTo("via-b");
        // The stored choice comes back as a configuration change, applied live: the service is the same one.
        await().atMost(TIMEOUT).until(() -> control.selected().equals(java.util.Optional.of("via-b")));
        assertThat(felix.awaitTransportReference("pick").getProperty("service.id")).isEqualTo(serviceId);
        assertThat(memberOfNewStream(pick)).isEqualTo("via-b");
        running.channel().close();
    }

    private InetSocketAddress listen(HostConfig host, String name) throws Exception {
        var bound = HostConfig.bound(log, name);
        felix.configure(HostConfig.PID, name, host.toDictionary());
        return bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void echoThrough(InetSocketAddress host, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        try (Socks5Connection connection = Socks5Connection.open(host, peers.echo().address(), TIMEOUT)) {
            assertThat(connection.reply()).as("SOCKS5 reply for " + text).isZero();
            assertThat(connection.echo(payload)).isEqualTo(payload);
        }
    }
}
