package org.anytls4j.host.osgi;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.ComponentDescriptions;
import org.anytls4j.host.testing.Configs;
import org.anytls4j.host.testing.FailingTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
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

    @Test
    void invalidConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> new HostComponent(config(Map.of("listenAddress", "localhost"))))
                .hasMessageContaining("listenAddress").hasMessageContaining("not a host name");
        assertThatThrownBy(() -> new HostComponent(config(Map.of("port", 70000))))
                .hasMessageContaining("port must be in 0..65535, got 70000");
        assertThatThrownBy(() -> new HostComponent(config(Map.of("name", "bad name"))))
                .hasMessageContaining("name must be");
        assertThatThrownBy(() -> new HostComponent(config(Map.of("openTimeout", "soon"))))
                .hasMessageContaining("openTimeout");
        assertThatThrownBy(() -> new HostComponent(config(Map.of(".users", new String[] {"nopassword"}))))
                .hasMessageContaining(".users entry 1");
        assertThatThrownBy(() -> new HostComponent(config(Map.of("ioThreads", 0))))
                .hasMessageContaining("ioThreads");
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
