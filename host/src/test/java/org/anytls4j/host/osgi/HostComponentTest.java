package org.anytls4j.host.osgi;

import org.anytls4j.common.config.UnknownProperties;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.ComponentDescriptions;
import org.anytls4j.host.testing.Configs;
import org.anytls4j.host.testing.FailingTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.CapturedLog;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host component as SCR drives it: configuration in, transports bound and unbound while it listens. */
class HostComponentTest {
    private static EventLoopGroup group;
    private static TcpEchoServer echo;
    private static DirectTransport direct;
    private HostComponent component;

    @BeforeAll
    static void start() {
        group = NioGroups.create("component-test");
        echo = new TcpEchoServer(group);
        direct = DirectTransport.builder("direct", group).bindAddress(InetAddress.getLoopbackAddress()).build();
    }

    @AfterAll
    static void stop() {
        direct.close();
        echo.close();
        NioGroups.shutdown(group);
    }

    @AfterEach
    void deactivate() {
        if (component != null) {
            component.deactivate();
        }
    }

    private static HostConfiguration config(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of("name", "host-test", "port", 0));
        properties.putAll(overrides);
        return Configs.of(HostConfiguration.class, properties);
    }

    private byte connectReply() throws Exception {
        try (RawClient client = new RawClient(component.server().localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            return Socks5.command(client, Socks5.CONNECT, echo.address()).code;
        }
    }

    private void awaitListening() throws InterruptedException {
        assertThat(component.listening().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(component.listening().isSuccess()).as("listening: %s", component.listening().cause()).isTrue();
    }

    @Test
    void aReplacedTransportIsUsedWithoutRestartingTheListener() throws Exception {
        component = new HostComponent(config(Map.of()));
        awaitListening();
        assertThat(connectReply()).as("no transport yet").isEqualTo((byte) 0x01);

        component.bindOutbound(direct);
        assertThat(connectReply()).isZero();

        // GREEDY replacement: SCR binds the better match first, then unbinds the old one.
        FailingTransport refusing = new FailingTransport(Reason.DESTINATION_REFUSED);
        var before = component.server().localAddress();
        component.bindOutbound(refusing);
        component.unbindOutbound(direct);
        assertThat(component.outbound()).isSameAs(refusing);
        assertThat(connectReply()).isEqualTo((byte) 0x05);
        assertThat(component.server().localAddress()).isEqualTo(before);

        component.unbindOutbound(refusing);
        assertThat(component.outbound()).isNull();
    }

    @Test
    void usersFromTheSecretPropertyAreRequired() throws Exception {
        component = new HostComponent(config(Map.of(".users", new String[] {"alice:pw"})));
        component.bindOutbound(direct);
        awaitListening();
        try (RawClient client = new RawClient(component.server().localAddress())) {
            assertThat(Socks5.greet(client, Socks5.NO_AUTH, Socks5.PASSWORD)).isEqualTo(Socks5.PASSWORD);
            assertThat(Socks5.login(client, "alice", "pw")).isZero();
        }
    }

    @Test
    void listensOnLoopbackByDefault() throws Exception {
        component = new HostComponent(config(Map.of()));
        awaitListening();
        assertThat(component.server().localAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    private static final Map<String, Object[]> INVALID = Map.of(
            "listenAddress", new Object[] {"listenAddress", "localhost", "not a host name"},
            "port", new Object[] {"port", 70000, "port must be in 0..65535, got 70000"},
            "name", new Object[] {"name", "bad name", "name must be"},
            "openTimeout", new Object[] {"openTimeout", "soon", "openTimeout"},
            ".users", new Object[] {".users", new String[] {"nopassword"}, ".users entry 1"},
            "ioThreads", new Object[] {"ioThreads", 0, "ioThreads"});

    @Test
    void aMisspelledKeyIsWarnedAboutAndKarafsKeysAreNot() throws Exception {
        try (CapturedLog log = CapturedLog.of(UnknownProperties.class)) {
            component = new HostComponent(config(Map.of()), Map.of("service.pid", "org.anytls4j.host~1",
                    "name", "host-test", "port", 0, "outbound.target", "(transport.name=x)",
                    "felix.fileinstall.filename", "file:/x.cfg", "component.id", 1L, "handshakeTimout", "5s"));

            assertThat(log.messages(Level.WARNING)).containsExactly("configuration org.anytls4j.host~1:"
                    + " unknown property handshakeTimout; did you mean handshakeTimeout?");
        }
    }

    @Test
    void anInvalidFirstConfigurationIsLoggedOnceNamingThePropertyAndActivationDoesNotFail() {
        for (Object[] invalid : INVALID.values()) {
            try (CapturedLog log = CapturedLog.of(HostComponent.class)) {
                HostComponent rejected = new HostComponent(config(Map.of((String) invalid[0], invalid[1])));

                assertThat(rejected.server()).isNull();
                assertThat(log.messages(Level.SEVERE)).singleElement().asString().contains((String) invalid[2]);
                assertThat(log.anyStackTrace()).isFalse();
                rejected.deactivate();
            }
        }
    }

    @Test
    void aRejectedChangeKeepsThePreviousListenerRunningAndLogsOneLine() throws Exception {
        component = new HostComponent(config(Map.of()));
        awaitListening();
        var running = component.server();
        var address = running.localAddress();
        for (Object[] invalid : INVALID.values()) {
            try (CapturedLog log = CapturedLog.of(HostComponent.class)) {
                component.modified(config(Map.of((String) invalid[0], invalid[1])), Map.of("service.pid", "h~1"));

                assertThat(log.messages(Level.SEVERE)).singleElement().asString()
                        .contains("h~1", (String) invalid[2], "previous configuration");
                assertThat(log.anyStackTrace()).isFalse();
            }
            assertThat(component.server()).isSameAs(running);
            new Socket(address.getAddress(), address.getPort()).close();
        }
    }

    @Test
    void aNewListenAddressIsBoundBeforeTheOldListenerCloses() throws Exception {
        component = new HostComponent(config(Map.of()));
        awaitListening();
        var old = component.server().localAddress();
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }

        component.modified(config(Map.of("port", free)), Map.of());

        awaitListening();
        assertThat(component.server().localAddress().getPort()).isEqualTo(free);
        // The old listener is closed on the global executor right after the new one listens.
        assertThat(GlobalEventExecutor.INSTANCE.submit(() -> { }).await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> new Socket(old.getAddress(), old.getPort()).close())
                .isInstanceOf(ConnectException.class);
        new Socket(InetAddress.getLoopbackAddress(), free).close();
    }

    private RawClient connectedThroughSocks() throws Exception {
        RawClient client = new RawClient(component.server().localAddress());
        Socks5.greet(client, Socks5.NO_AUTH);
        assertThat(Socks5.command(client, Socks5.CONNECT, echo.address()).code).isZero();
        assertEchoes(client, "before the change");
        return client;
    }

    private static void assertEchoes(RawClient client, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(client.write(payload).read(payload.length)).isEqualTo(payload);
    }

    @Test
    void aChangeOfUsersOrTimeLimitsKeepsTheListenerAndItsOpenConnections() throws Exception {
        component = new HostComponent(config(Map.of()));
        component.bindOutbound(direct);
        awaitListening();
        var running = component.server();
        try (RawClient open = connectedThroughSocks()) {
            component.modified(config(Map.of("handshakeTimeout", "3s", "openTimeout", "4s")), Map.of());

            assertThat(component.server()).isSameAs(running);
            assertEchoes(open, "after the change");
            assertThat(connectReply()).isZero();
        }
    }

    @Test
    void aChangeOfIoThreadsReplacesTheListenerButNotTheOpenConnectionsWhichDeactivationResets() throws Exception {
        component = new HostComponent(config(Map.of()));
        component.bindOutbound(direct);
        awaitListening();
        var running = component.server();
        try (RawClient open = connectedThroughSocks()) {
            component.modified(config(Map.of("ioThreads", 1)), Map.of());
            awaitListening();

            assertThat(component.server()).isNotSameAs(running);
            assertThat(connectReply()).isZero();
            assertEchoes(open, "on the retired listener");

            component.deactivate();
            component = null;
            assertThatThrownBy(open::readToEnd).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void aListenAddressThatCannotBeBoundKeepsTheOldListener() throws Exception {
        component = new HostComponent(config(Map.of()));
        awaitListening();
        var running = component.server();
        var old = running.localAddress();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CapturedLog log = CapturedLog.of(HostComponent.class)) {
            component.modified(config(Map.of("port", busy.getLocalPort())), Map.of());

            assertThat(component.listening().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(component.listening().isSuccess()).isFalse();
            assertThat(component.server()).isSameAs(running);
            new Socket(old.getAddress(), old.getPort()).close();
        }
    }

    @Test
    void theOutboundReferenceIsDynamicGreedyOptionalWithTheDefaultTarget() throws Exception {
        ComponentDescriptions description = ComponentDescriptions.load(HostConfiguration.PID);
        assertThat(description.reference("outbound"))
                .containsEntry("policy", "dynamic")
                .containsEntry("policy-option", "greedy")
                .containsEntry("cardinality", "0..1")
                .containsEntry("target", HostComponent.DEFAULT_OUTBOUND_TARGET);
        assertThat(description.properties()).containsEntry("outbound.target",
                List.of(HostComponent.DEFAULT_OUTBOUND_TARGET));
        // Secrets are never component properties, so DS never publishes them.
        assertThat(description.properties()).doesNotContainKey(".users");
    }
}
