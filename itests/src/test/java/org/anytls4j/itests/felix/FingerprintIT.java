package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.EchoStream;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fingerprint = chrome} in Felix: with the Bouncy Castle 1.84 bundles installed, a transport carries a stream
 * through this project's server on the Bouncy Castle engine; without them, the configuration is refused with an
 * error naming the property and what to install, and {@code fingerprint = none} still works.
 */
class FingerprintIT extends FelixIT {
    private static final String PASSWORD = "pw for fingerprint tests";
    private static LoopbackAnyTlsServer server;

    @BeforeAll
    static void startServers() throws Exception {
        server = peers.anyTlsServer("fingerprint", PASSWORD);
    }

    @Override
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launchWithBouncyCastle(name);
    }

    private ClientConfig client(String name, String fingerprint) {
        return ClientConfig.of(name, server.hostPort(), PASSWORD, peers.pki()).set("fingerprint", fingerprint);
    }

    @Test
    void aChromeTransportCarriesAStreamOverTheBouncyCastleEngine() throws Exception {
        assertThat(bouncyCastleProviders()).as("bundles wired to the AnyTLS bundle's org.bouncycastle imports")
                .contains("bctls", "bcprov");
        felix.configure(CLIENT_PID, "chrome", client("chrome", "chrome").toDictionary());

        NettyOutboundTransport transport = felix.awaitTransport("chrome");
        long streamsBefore = server.stats().streamsTotal();
        EchoStream stream = EchoStream.openNow(transport, peers.echo().address(), TIMEOUT);
        byte[] payload = new byte[100_000];
        java.util.Arrays.fill(payload, (byte) 'c');
        stream.echo(payload, TIMEOUT);
        stream.echo("and again".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        stream.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(server.stats().streamsTotal()).isEqualTo(streamsBefore + 1);
        assertThat(transport.stats().opensSucceeded()).isEqualTo(1);
        assertThat(log.texts()).noneMatch(text -> text.contains(PASSWORD));
    }

    @Test
    void withoutBouncyCastleChromeIsRefusedNamingWhatToInstallAndNoneStillWorks() throws Exception {
        felix.close();
        felix = AnyTlsFelix.launch("FingerprintIT-without-bc");
        assertThat(bouncyCastleProviders()).isEmpty();
        CompletableFuture<LogRecord> rejected = log.first(record -> record.getLevel() == Level.SEVERE
                && LogCapture.text(record).contains("'fingerprint'"));

        felix.configure(CLIENT_PID, "chrome", client("chrome", "chrome").toDictionary());
        felix.configure(CLIENT_PID, "plain", client("plain", "none").toDictionary());

        String message = LogCapture.text(rejected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(message).contains("chrome", "anytls4j-fingerprint", "bctls-jdk18on", "fingerprint = none");
        NettyOutboundTransport plain = felix.awaitTransport("plain");
        // Configurations are applied in order: with "plain" published, "chrome" was handled, and published nothing.
        assertThat(felix.services().references(OutboundTransport.class, AnyTlsFelix.byName("chrome"))).isEmpty();
        EchoStream stream = EchoStream.openNow(plain, peers.echo().address(), TIMEOUT);
        stream.echo(new byte[] {1, 2, 3}, TIMEOUT);
        stream.channel().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Symbolic names (without the -jdk18on suffix) of the bundles that serve the AnyTLS bundle's BC imports. */
    private java.util.Set<String> bouncyCastleProviders() {
        java.util.Set<String> providers = new java.util.TreeSet<>();
        BundleWiring wiring = felix.anyTlsBundle().adapt(BundleWiring.class);
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            Object pkg = wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (String.valueOf(pkg).startsWith("org.bouncycastle.")) {
                providers.add(wire.getProvider().getSymbolicName());
            }
        }
        return providers;
    }
}
