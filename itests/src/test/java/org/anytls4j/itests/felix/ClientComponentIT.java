package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.DocumentedProperties;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.itests.support.ServerConfig;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.ObjectClassDefinition;

import java.lang.reflect.Array;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.SERVER_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client DS component in Felix with SCR, Configuration Admin and Metatype: one configuration, one transport. */
class ClientComponentIT extends FelixIT {
    private static final String PASSWORD = "correct horse battery staple";
    private static LoopbackAnyTlsServer server;

    @BeforeAll
    static void startServers() throws Exception {
        server = peers.anyTlsServer("server-a", PASSWORD);
    }

    private ClientConfig client(String name) {
        return ClientConfig.of(name, server.hostPort(), PASSWORD, peers.pki());
    }

    @Test
    void metatypeDescribesBothFactoryPidsWithEveryDocumentedProperty() throws Exception {
        MetaTypeInformation info = felix.metaType().getMetaTypeInformation(felix.anyTlsBundle());

        assertThat(info.getFactoryPids()).contains(CLIENT_PID, SERVER_PID);
        assertThat(attributeIds(info, CLIENT_PID)).containsExactlyInAnyOrderElementsOf(
                DocumentedProperties.of(CLIENT_PID));
        assertThat(attributeIds(info, SERVER_PID)).containsExactlyInAnyOrderElementsOf(
                DocumentedProperties.of(SERVER_PID));
        ObjectClassDefinition client = info.getObjectClassDefinition(CLIENT_PID, null);
        assertThat(passwordAttributes(client)).contains(".password", ".uri");
    }

    private static Set<String> attributeIds(MetaTypeInformation info, String pid) {
        ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
        return Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID)
                .collect(Collectors.toSet());
    }

    private static Set<String> passwordAttributes(ObjectClassDefinition ocd) {
        return Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(ad -> ad.getType() == AttributeDefinition.PASSWORD)
                .map(AttributeDefinition::getID)
                .collect(Collectors.toSet());
    }

    @Test
    void aConfigurationPublishesTransportWithoutSecretsThatCarriesStreams() throws Exception {
        felix.configure(CLIENT_PID, "hk1", client("hk1").toDictionary());

        ServiceReference<OutboundTransport> reference = felix.awaitTransportReference("hk1");
        assertThat(reference.getProperty("transport.type")).isEqualTo("anytls");
        assertThat(values(reference.getProperty("transport.networks"))).containsExactlyInAnyOrder("tcp", "udp");
        assertThat(values(reference.getProperty(Constants.OBJECTCLASS))).contains(
                OutboundTransport.class.getName(), NettyOutboundTransport.class.getName());
        for (String key : reference.getPropertyKeys()) {
            assertThat(key).doesNotStartWith(".").doesNotContainIgnoringCase("password");
            assertThat(values(reference.getProperty(key))).noneMatch(value -> value.contains(PASSWORD));
        }

        NettyOutboundTransport transport = felix.awaitTransport("hk1");
        assertThat(transport.name()).isEqualTo("hk1");
        long streamsBefore = server.stats().streamsTotal();
        EchoStream stream = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        stream.echo("through AnyTLS".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        stream.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(server.stats().streamsTotal()).isEqualTo(streamsBefore + 1);
        assertThat(transport.stats().opensSucceeded()).isEqualTo(1);
        assertThat(log.texts()).noneMatch(text -> text.contains(PASSWORD));
    }

    @Test
    void aStreamReachesTheEchoServerThroughAServerComponentConfiguredTheSameWay() throws Exception {
        ServerConfig edge = ServerConfig.of("edge", "alice", PASSWORD, peers.pki());
        CompletableFuture<InetSocketAddress> bound = edge.bound(log);
        Configuration serverConfiguration = felix.configure(SERVER_PID, "edge", edge.toDictionary());
        InetSocketAddress address = bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        felix.configure(CLIENT_PID, "edge-client", ClientConfig.of("edge-client",
                "127.0.0.1:" + address.getPort(), PASSWORD, peers.pki()).toDictionary());

        NettyOutboundTransport transport = felix.awaitTransport("edge-client");
        EchoStream stream = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        stream.echo("client and server in one framework".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(felix.componentConfigurations(AnyTlsFelix.SERVER_COMPONENT)).singleElement()
                .extracting(state -> state.state).isEqualTo(ComponentConfigurationDTO.ACTIVE);

        // Deleting the server's configuration closes its sessions: the client's stream learns it lost its session.
        serverConfiguration.delete();
        stream.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(stream.failure().getNow(null)).isInstanceOfSatisfying(TransportException.class,
                failure -> assertThat(failure.reason()).isEqualTo(TransportException.Reason.SESSION_LOST));
        assertThat(log.texts()).noneMatch(text -> text.contains(PASSWORD));
    }

    private static List<String> values(Object property) {
        List<String> values = new ArrayList<>();
        if (property != null && property.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(property); i++) {
                values.add(String.valueOf(Array.get(property, i)));
            }
        } else if (property instanceof Collection<?> collection) {
            collection.forEach(value -> values.add(String.valueOf(value)));
        } else {
            values.add(String.valueOf(property));
        }
        return values;
    }

    @Test
    void twoConfigurationsGiveTwoIndependentTransports() throws Exception {
        LoopbackAnyTlsServer other = peers.anyTlsServer("server-b", "another password");
        felix.configure(CLIENT_PID, "one", client("one").toDictionary());
        Configuration two = felix.configure(CLIENT_PID, "two",
                ClientConfig.of("two", other.hostPort(), "another password", peers.pki()).toDictionary());

        NettyOutboundTransport one = felix.awaitTransport("one");
        NettyOutboundTransport second = felix.awaitTransport("two");
        assertThat(one).isNotSameAs(second);
        long viaServerA = server.stats().streamsTotal();
        long viaServerB = other.stats().streamsTotal();

        EchoStream first = EchoStream.openNow(one, peers.echo().address(), TIMEOUT);
        first.echo(new byte[] {1}, TIMEOUT);
        EchoStream secondStream = EchoStream.openNow(second, peers.echo().address(), TIMEOUT);
        secondStream.echo(new byte[] {2}, TIMEOUT);
        assertThat(server.stats().streamsTotal()).isEqualTo(viaServerA + 1);
        assertThat(other.stats().streamsTotal()).isEqualTo(viaServerB + 1);

        // Removing one leaves the other and its stream untouched.
        ServiceReference<OutboundTransport> twoReference = felix.awaitTransportReference("two");
        CompletableFuture<Void> twoGone = felix.services().unregistration(twoReference);
        two.delete();
        twoGone.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        secondStream.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        first.echo(new byte[] {3}, TIMEOUT);
        assertThat(felix.awaitTransport("one")).isSameAs(one);
        first.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void deletingTheConfigurationUnregistersTheTransportAndClosesEverySession() throws Exception {
        Configuration configuration = felix.configure(CLIENT_PID, "gone", client("gone").toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("gone");
        List<EchoStream> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EchoStream stream = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
            stream.echo(new byte[] {(byte) i}, TIMEOUT);
            streams.add(stream);
        }
        assertThat(transport.stats().sessionsActive()).isEqualTo(3);
        Set<Thread> bundleThreads = Threads.named("anytls4j-");
        assertThat(bundleThreads).isNotEmpty();
        Set<Thread> nonDaemonBefore = Threads.nonDaemon();

        CompletableFuture<Void> unregistered = felix.services().unregistration(felix.awaitTransportReference("gone"));
        configuration.delete();

        unregistered.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (EchoStream stream : streams) {
            stream.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(stream.failure().getNow(null)).isInstanceOfSatisfying(TransportException.class,
                    failure -> assertThat(failure.reason()).isEqualTo(TransportException.Reason.SHUTDOWN));
        }
        await().atMost(TIMEOUT).until(() -> server.stats().sessionsActive() == 0
                && peers.echo().openConnections() == 0);
        Threads.awaitEnd(bundleThreads, TIMEOUT);
        assertThat(Threads.named("anytls4j-")).isEmpty();
        // Whatever non-daemon thread appeared must end by itself (Netty's globalEventExecutor does, after 1 s quiet).
        Set<Thread> nonDaemonAfter = Threads.nonDaemon();
        nonDaemonAfter.removeAll(nonDaemonBefore);
        Threads.awaitEnd(nonDaemonAfter, TIMEOUT);
    }
}
