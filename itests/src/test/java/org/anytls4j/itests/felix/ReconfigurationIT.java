package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.logging.LogRecord;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Configuration changes of a live client transport in Felix: pool options live, anything else by draining. */
class ReconfigurationIT extends FelixIT {
    private static final int STREAMS = 50;
    private static LoopbackAnyTlsServer serverA;
    private static LoopbackAnyTlsServer serverB;

    @BeforeAll
    static void startServers() throws Exception {
        serverA = peers.anyTlsServer("server-a", "pw");
        serverB = peers.anyTlsServer("server-b", "pw");
    }

    private CompletableFuture<LogRecord> reconfigured(String name) {
        return log.first(record -> LogCapture.text(record).contains("AnyTLS transport " + name + " reconfigured"));
    }

    private static List<EchoStream> openStreams(NettyOutboundTransport transport, int count) throws Exception {
        List<CompletableFuture<EchoStream>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(EchoStream.open(transport, peers.echo().address()));
        }
        List<EchoStream> streams = new ArrayList<>();
        for (CompletableFuture<EchoStream> open : opening) {
            streams.add(open.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        return streams;
    }

    private static void echoOnAll(List<EchoStream> streams, String round) throws Exception {
        List<CompletableFuture<byte[]>> trips = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            byte[] payload = (round + " on stream " + i).getBytes(StandardCharsets.UTF_8);
            payloads.add(payload);
            trips.add(streams.get(i).roundTrip(payload));
        }
        for (int i = 0; i < trips.size(); i++) {
            assertThat(trips.get(i).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payloads.get(i));
        }
    }

    private static void closeAll(List<EchoStream> streams) throws Exception {
        for (EchoStream stream : streams) {
            stream.channel().close();
        }
        for (EchoStream stream : streams) {
            stream.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aPoolOnlyChangeKeepsFiftyOpenStreamsAndTakesEffect() throws Exception {
        ClientConfig config = ClientConfig.of("live", serverA.hostPort(), "pw", peers.pki());
        Configuration configuration = felix.configure(CLIENT_PID, "live", config.toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("live");
        ServiceReference<OutboundTransport> before = felix.awaitTransportReference("live");
        List<EchoStream> streams = openStreams(transport, STREAMS);
        echoOnAll(streams, "before");
        assertThat(transport.stats().sessionsActive()).isEqualTo(STREAMS);

        CompletableFuture<LogRecord> applied = reconfigured("live");
        configuration.update(config.set("maxSessions", String.valueOf(STREAMS)).set("idleSessionTimeout", "2m")
                .toDictionary());

        assertThat(LogCapture.text(applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)))
                .endsWith("POOL_UPDATED");
        echoOnAll(streams, "after");
        assertThat(streams).allSatisfy(stream -> assertThat(stream.closed()).isNotDone());
        assertThat(transport.stats().sessionsOpened()).isEqualTo(STREAMS);
        ServiceReference<OutboundTransport> after = felix.awaitTransportReference("live");
        assertThat(after.getProperty(Constants.SERVICE_ID)).isEqualTo(before.getProperty(Constants.SERVICE_ID));
        assertThat(after.getProperty("maxSessions")).isEqualTo(String.valueOf(STREAMS));
        assertThat(felix.awaitTransport("live")).isSameAs(transport);
        // The new cap is in force: every session is busy, so a 51st stream is refused instead of dialled.
        assertThatThrownBy(() -> EchoStream.openNow(transport, peers.echo().address(), TIMEOUT))
                .hasMessageContaining("maxSessions=" + STREAMS);

        closeAll(streams);
        EchoStream reused = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        reused.echo("reused".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(transport.stats().sessionsOpened()).isEqualTo(STREAMS);
        reused.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aServerChangeSendsNewStreamsToTheNewServerAndDrainsTheOldPool() throws Exception {
        ClientConfig config = ClientConfig.of("moving", serverA.hostPort(), "pw", peers.pki());
        Configuration configuration = felix.configure(CLIENT_PID, "moving", config.toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("moving");
        long sessionsOnA = serverA.stats().sessionsActive();
        List<EchoStream> old = openStreams(transport, 5);
        echoOnAll(old, "before");
        long streamsOnA = serverA.stats().streamsTotal();
        long streamsOnB = serverB.stats().streamsTotal();
        assertThat(serverA.stats().sessionsActive()).isEqualTo(sessionsOnA + 5);

        CompletableFuture<LogRecord> applied = reconfigured("moving");
        configuration.update(config.set("server", serverB.hostPort()).toDictionary());

        assertThat(LogCapture.text(applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))).endsWith("REPLACED");
        EchoStream moved = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        moved.echo("via B".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(serverB.stats().streamsTotal()).isEqualTo(streamsOnB + 1);
        // The old streams keep working on the old sessions until they end ...
        echoOnAll(old, "draining");
        assertThat(serverA.stats().streamsTotal()).isEqualTo(streamsOnA);
        assertThat(serverA.stats().sessionsActive()).isEqualTo(sessionsOnA + 5);

        closeAll(old);

        // ... and then the old pool closes its sessions instead of keeping them idle.
        await().atMost(TIMEOUT).until(() -> serverA.stats().sessionsActive() == sessionsOnA);
        assertThat(serverB.stats().sessionsActive()).isPositive();
        moved.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theServicePublishesWhatTheTransportReportsCapabilitiesIncluded() throws Exception {
        felix.configure(CLIENT_PID, "caps", ClientConfig.of("caps", serverA.hostPort(), "pw", peers.pki())
                .toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("caps");
        ServiceReference<OutboundTransport> reference = felix.awaitTransportReference("caps");

        assertThat((String[]) reference.getProperty(TransportConstants.TRANSPORT_CAPABILITIES))
                .containsExactlyInAnyOrderElementsOf(transport.capabilities().stream().map(Capability::wireName)
                        .collect(Collectors.toList()))
                .contains("multiplexed", "remote-resolution");
        assertThat((String[]) reference.getProperty(TransportConstants.TRANSPORT_NETWORKS))
                .containsExactlyInAnyOrder("tcp", "udp");
        assertThat(reference.getProperty(TransportConstants.TRANSPORT_TYPE)).isEqualTo(transport.type());
        assertThat(reference.getProperty(TransportConstants.TRANSPORT_NAME)).isEqualTo(transport.name());
        assertThat(reference.getProperty(".password")).isNull();
    }

    @Test
    void aReplacementKeepsTheCountersTheDrainingStreamsAndThePushedPaddingScheme() throws Exception {
        LoopbackAnyTlsServer pushing = peers.anyTlsServer("server-pushing", "pw", PUSHED_SCHEME);
        ClientConfig config = ClientConfig.of("kept", pushing.hostPort(), "pw", peers.pki());
        Configuration configuration = felix.configure(CLIENT_PID, "kept", config.toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("kept");
        List<EchoStream> old = openStreams(transport, 3);
        echoOnAll(old, "before");
        // The first session learnt the server's scheme: once, whatever the number of sessions since then.
        long pushes = transport.stats().extra().get("anytls.padding.updates");
        assertThat(pushes).isPositive();

        CompletableFuture<LogRecord> applied = reconfigured("kept");
        configuration.update(config.set("synackTimeout", "4s").toDictionary());
        assertThat(LogCapture.text(applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))).endsWith("REPLACED");

        TransportStats afterChange = transport.stats();
        assertThat(afterChange.opensSucceeded()).isEqualTo(3);
        assertThat(afterChange.streamsActive()).as("streams draining on the replaced transport").isEqualTo(3);
        assertThat(afterChange.sessionsOpened()).isEqualTo(3);

        // A session of the replacement pads with the pushed scheme from the start: the server has nothing to push.
        EchoStream fresh = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        fresh.echo("after".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        TransportStats withFresh = transport.stats();
        assertThat(withFresh.sessionsOpened()).isEqualTo(4);
        assertThat(withFresh.extra().get("anytls.padding.updates")).isEqualTo(pushes);
        assertThat(withFresh.opensSucceeded()).isEqualTo(4);
        assertThat(withFresh.streamsActive()).isEqualTo(4);

        closeAll(old);
        fresh.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(TIMEOUT).until(() -> transport.stats().streamsActive() == 0);
        assertThat(transport.stats().opensSucceeded()).isEqualTo(4);
        assertThat(transport.stats().bytesOut()).isPositive();
    }

    /** Not the default: a client must learn it from the server. */
    private static final PaddingScheme PUSHED_SCHEME = PaddingScheme.parse("stop=3\n0=40-40\n1=200-300\n2=300-400");
}
