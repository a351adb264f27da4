package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.itests.support.Peers;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a host should be able to rely on but, with the client component as it is, cannot. Each test fails today
 * (seen in Felix 7.0.5 / SCR 2.2.14; the tracker one only sometimes) and is reported; remove {@code @Disabled} once the component is fixed. Run
 * them anyway with {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
@Disabled("known product defects of AnyTlsClientComponent, reported; they fail until it is fixed")
class KnownProductDefectsIT {
    private static final String PASSWORD = "pw";
    private static Peers peers;
    private static LoopbackAnyTlsServer server;
    private AnyTlsFelix felix;

    @BeforeAll
    static void startPeers() throws Exception {
        peers = new Peers("defects");
        server = peers.anyTlsServer("defects", PASSWORD);
    }

    @AfterAll
    static void stopPeers() {
        peers.close();
    }

    @BeforeEach
    void launch() throws Exception {
        felix = AnyTlsFelix.launch("defects");
    }

    @AfterEach
    void shutDown() {
        felix.close();
    }

    private ClientConfig client(String name) {
        return ClientConfig.of(name, server.hostPort(), PASSWORD, peers.pki());
    }

    /**
     * Today the delayed component registers its service for an invalid configuration; activation fails only when
     * a host first gets it, so every host sees a transport that is not there.
     */
    @Test
    void anInvalidConfigurationPublishesNoTransport() throws Exception {
        felix.configure(CLIENT_PID, "broken", client("broken").set("minIdleSessions", "several").toDictionary());
        felix.configure(CLIENT_PID, "valid", client("valid").toDictionary());
        // Configurations are applied in order: once the valid one is published, the invalid one was handled.
        felix.services().awaitMatching(OutboundTransport.class, AnyTlsFelix.byName("valid"), TIMEOUT);

        assertThat(felix.services().references(OutboundTransport.class, AnyTlsFelix.byName("broken"))).isEmpty();
    }

    /**
     * Today a tracker that met the invalid configuration's service calls getService again on the MODIFIED event of
     * the correction; when that runs before SCR has taken the new configuration, it gets null and never learns of
     * the working transport. A race: it failed in one of two runs here.
     */
    @Test
    void aHostTrackingTheTransportGetsItOnceTheConfigurationIsCorrected() throws Exception {
        Configuration configuration = felix.configure(CLIENT_PID, "broken",
                client("broken").set("minIdleSessions", "several").toDictionary());
        ServiceTracker<NettyOutboundTransport, NettyOutboundTransport> host = new ServiceTracker<>(
                felix.framework().context(), FrameworkUtil.createFilter("(&(objectClass="
                + NettyOutboundTransport.class.getName() + ")(transport.name=broken))"), null);
        host.open();
        felix.services().awaitMatching(OutboundTransport.class, AnyTlsFelix.byName("broken"), TIMEOUT);

        configuration.update(client("broken").toDictionary());

        assertThat(host.waitForService(TIMEOUT.toMillis())).isNotNull();
        host.close();
    }

    /**
     * A host may still hold the service object when the configuration is deleted (it learns of the unregistration
     * on another thread). Today open() then throws a NullPointerException instead of failing its future with a
     * TransportException of reason SHUTDOWN, as a closed AnyTlsClientTransport does.
     */
    @Test
    void openingThroughATransportKeptPastItsDeletionFailsWithShutdown() throws Exception {
        Configuration configuration = felix.configure(CLIENT_PID, "gone", client("gone").toDictionary());
        NettyOutboundTransport transport = felix.awaitTransport("gone");
        ServiceReference<OutboundTransport> reference = felix.awaitTransportReference("gone");
        CompletableFuture<Void> unregistered = felix.services().unregistration(reference);
        configuration.delete();
        unregistered.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        CompletableFuture<EchoStream> open = EchoStream.open(transport, peers.echo().address());

        assertThatThrownBy(() -> open.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(TransportException.class)
                .cause().satisfies(cause -> assertThat(((TransportException) cause).reason())
                        .isEqualTo(TransportException.Reason.SHUTDOWN));
    }
}
