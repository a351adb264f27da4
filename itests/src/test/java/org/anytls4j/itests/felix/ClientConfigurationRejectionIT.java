package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a host relies on when an operator gets a client configuration wrong: nothing unusable is ever published, the
 * log names the property, a correction publishes the transport to every host already looking for it, and a bad
 * change to a running transport loses no stream.
 */
class ClientConfigurationRejectionIT extends FelixIT {
    private static final String PASSWORD = "pw for rejection tests";
    private static LoopbackAnyTlsServer server;

    @BeforeAll
    static void startServers() throws Exception {
        server = peers.anyTlsServer("rejection", PASSWORD);
    }

    private ClientConfig client(String name) {
        return ClientConfig.of(name, server.hostPort(), PASSWORD, peers.pki());
    }

    private CompletableFuture<LogRecord> errorMentioning(String... fragments) {
        return log.first(record -> {
            if (record.getLevel() != Level.SEVERE) {
                return false;
            }
            String text = LogCapture.text(record);
            for (String fragment : fragments) {
                if (!text.contains(fragment)) {
                    return false;
                }
            }
            return true;
        });
    }

    private ServiceTracker<NettyOutboundTransport, NettyOutboundTransport> hostTracker(String name)
            throws Exception {
        ServiceTracker<NettyOutboundTransport, NettyOutboundTransport> tracker = new ServiceTracker<>(
                felix.framework().context(), FrameworkUtil.createFilter("(&(objectClass="
                + NettyOutboundTransport.class.getName() + ")" + AnyTlsFelix.byName(name) + ")"), null);
        tracker.open();
        return tracker;
    }

    @Test
    void anInvalidConfigurationPublishesNoTransportAndNamesTheProperty() throws Exception {
        CompletableFuture<LogRecord> rejected = errorMentioning("minIdleSessions", "no transport is published");
        felix.configure(CLIENT_PID, "broken", client("broken").set("minIdleSessions", "several").toDictionary());
        felix.configure(CLIENT_PID, "valid", client("valid").toDictionary());

        String message = LogCapture.text(rejected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        // Configurations are applied in order: once the valid one is published, the invalid one was handled.
        felix.services().awaitMatching(OutboundTransport.class, AnyTlsFelix.byName("valid"), TIMEOUT);

        assertThat(message).contains("'minIdleSessions'", "several").doesNotContain(PASSWORD);
        assertThat(felix.services().references(OutboundTransport.class, AnyTlsFelix.byName("broken"))).isEmpty();
    }

    @Test
    void aHostAlreadyTrackingTheTransportGetsItOnceTheConfigurationIsCorrected() throws Exception {
        ServiceTracker<NettyOutboundTransport, NettyOutboundTransport> host = hostTracker("late");
        CompletableFuture<LogRecord> rejected = errorMentioning("maxSessions");
        Configuration configuration = felix.configure(CLIENT_PID, "late",
                client("late").set("maxSessions", "-3").toDictionary());
        rejected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(host.getService()).as("a transport published for an invalid configuration").isNull();

        configuration.update(client("late").set("maxSessions", "4").toDictionary());

        NettyOutboundTransport transport = host.waitForService(TIMEOUT.toMillis());
        assertThat(transport).as("the corrected transport, seen by the host that was waiting").isNotNull();
        EchoStream stream = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        stream.echo(new byte[] {1, 2, 3}, TIMEOUT);
        stream.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        host.close();
    }

    @Test
    void anInvalidChangeOfARunningTransportIsRejectedAndLosesNoStream() throws Exception {
        Configuration configuration = felix.configure(CLIENT_PID, "steady",
                client("steady").set("maxSessions", "8").toDictionary());
        ServiceReference<OutboundTransport> before = felix.awaitTransportReference("steady");
        NettyOutboundTransport transport = felix.awaitTransport("steady");
        EchoStream open = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        open.echo(new byte[] {4, 5, 6}, TIMEOUT);
        long sessionsBefore = transport.stats().sessionsOpened();

        CompletableFuture<LogRecord> rejected = errorMentioning("maxSessions", "keeps running");
        configuration.update(client("steady").set("maxSessions", "lots").toDictionary());
        String message = LogCapture.text(rejected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));

        assertThat(message).contains("'maxSessions'", "lots").doesNotContain(PASSWORD);
        ServiceReference<OutboundTransport> after = felix.awaitTransportReference("steady");
        assertThat(after.getProperty(Constants.SERVICE_ID)).isEqualTo(before.getProperty(Constants.SERVICE_ID));
        assertThat(after.getProperty("maxSessions")).as("the published properties are the applied ones")
                .isEqualTo("8");
        open.echo(new byte[] {7, 8, 9}, TIMEOUT);
        assertThat(transport.stats().sessionsOpened()).isEqualTo(sessionsBefore);
        open.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A host may still hold the service object when the configuration is deleted (it learns of the unregistration
     * on another thread): open() then fails its future with SHUTDOWN, as the SPI contract says.
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
        assertThat(transport.name()).isEqualTo("gone");
    }
}
