package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping, updating and restarting the AnyTLS bundle while streams carry traffic. Netty's leak detector runs at
 * paranoid in this JVM, which is the framework's, and testkit fails the test on any report.
 */
class BundleLifecycleIT extends FelixIT {
    private static final int STREAMS = 10;
    private static LoopbackAnyTlsServer server;

    @BeforeAll
    static void startServers() throws Exception {
        server = peers.anyTlsServer("lifecycle", "pw");
    }

    @BeforeEach
    void configureClient() throws Exception {
        felix.configure(CLIENT_PID, "busy", ClientConfig.of("busy", server.hostPort(), "pw", peers.pki())
                .toDictionary());
    }

    private static List<TrafficPump> pump(NettyOutboundTransport transport) throws Exception {
        List<TrafficPump> pumps = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            pumps.add(TrafficPump.start(EchoStream.openNow(transport, peers.echo().address(), TIMEOUT), i));
        }
        for (TrafficPump pump : pumps) {
            pump.warmedUp().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return pumps;
    }

    /** Every stream ended, and told its handler that the transport shut down. */
    private static void assertShutDown(List<TrafficPump> pumps) throws Exception {
        for (TrafficPump pump : pumps) {
            pump.stream().closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(pump.stream().failure().getNow(null)).isInstanceOfSatisfying(TransportException.class,
                    failure -> {
                        assertThat(failure.reason()).isEqualTo(TransportException.Reason.SHUTDOWN);
                        assertThat(failure.transportName()).isEqualTo("busy");
                    });
        }
    }

    private void assertNothingLeftBehind(Set<Thread> ioThreads, long sessionsBefore) throws Exception {
        Threads.awaitEnd(ioThreads, TIMEOUT);
        assertThat(Threads.named("anytls4j-")).isEmpty();
        await().atMost(TIMEOUT).until(() -> server.stats().sessionsActive() == sessionsBefore
                && peers.echo().openConnections() == 0);
    }

    @Test
    void streamsFailWithAClearReasonAndNewStreamsWorkAfterStopStartAndUpdate() throws Exception {
        Bundle bundle = felix.anyTlsBundle();
        long sessionsBefore = server.stats().sessionsActive();
        NettyOutboundTransport first = felix.awaitTransport("busy");
        List<TrafficPump> busy = pump(first);
        Set<Thread> ioThreads = Threads.named("anytls4j-");
        CompletableFuture<Void> unregistered = felix.services().unregistration(felix.awaitTransportReference("busy"));

        bundle.stop();

        unregistered.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertShutDown(busy);
        assertNothingLeftBehind(ioThreads, sessionsBefore);

        bundle.start();

        NettyOutboundTransport second = felix.awaitTransport("busy");
        assertThat(second).isNotSameAs(first);
        busy = pump(second);
        ClassLoader before = second.getClass().getClassLoader();
        ioThreads = Threads.named("anytls4j-");
        unregistered = felix.services().unregistration(felix.awaitTransportReference("busy"));

        bundle.update();
        felix.framework().refresh(List.of(bundle), TIMEOUT);

        unregistered.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertShutDown(busy);
        NettyOutboundTransport third = felix.awaitTransport("busy");
        assertThat(third.getClass().getClassLoader()).as("classes of the updated bundle").isNotSameAs(before);
        for (Thread thread : ioThreads) {
            thread.join(TIMEOUT.toMillis());
            assertThat(thread.isAlive()).as("event loop %s of the old bundle revision", thread.getName()).isFalse();
        }
        List<TrafficPump> afterUpdate = pump(third);
        assertThat(afterUpdate).allSatisfy(pump -> assertThat(pump.stream().closed()).isNotDone());

        ioThreads = Threads.named("anytls4j-");
        bundle.stop();
        assertShutDown(afterUpdate);
        assertNothingLeftBehind(ioThreads, sessionsBefore);
    }
}
