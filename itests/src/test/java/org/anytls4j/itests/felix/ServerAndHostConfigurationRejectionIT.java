package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.HostConfig;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.ServerConfig;
import org.anytls4j.itests.support.Socks5Connection;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.SERVER_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's bad edits of a running server's and a running host's configuration, in a real framework: traffic
 * continues on the old listener, the log has exactly one ERROR line naming the property, and no component fails;
 * then a valid edit applies.
 */
class ServerAndHostConfigurationRejectionIT extends FelixIT {
    private static final String PASSWORD = "pw for server rejection tests";

    @Override
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launchWithHost(name);
    }

    @Test
    void badEditsOfTheServerAndTheHostKeepTrafficFlowingWithOneErrorLineEach() throws Exception {
        ServerConfig edge = ServerConfig.of("edge", "alice", PASSWORD, peers.pki());
        InetSocketAddress serverAddress = configureAndAwait(edge);
        Configuration server = felix.configurationAdmin().getFactoryConfiguration(SERVER_PID, "edge", "?");
        felix.configure(CLIENT_PID, "edge-client", ClientConfig.of("edge-client",
                "127.0.0.1:" + serverAddress.getPort(), PASSWORD, peers.pki()).toDictionary());
        felix.awaitTransport("edge-client");
        var listening = HostConfig.bound(log, "socks");
        Configuration host = felix.configure(HostConfig.PID, "socks",
                HostConfig.via("socks", "edge-client").toDictionary());
        InetSocketAddress socks = listening.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        echoThrough(socks, "before any edit");

        Map<String, Object[]> serverEdits = new LinkedHashMap<>();
        serverEdits.put("certificateFile", new Object[] {"certificateFile", "/nonexistent/certificate.pem"});
        serverEdits.put("paddingScheme", new Object[] {"paddingScheme", "stop=x"});
        serverEdits.put("port", new Object[] {"port", "70000"});
        serverEdits.put("authTimeout", new Object[] {"authTimeout", "soon"});
        for (Map.Entry<String, Object[]> edit : serverEdits.entrySet()) {
            Dictionary<String, Object> invalid = ServerConfig.of("edge", "alice", PASSWORD, peers.pki())
                    .set((String) edit.getValue()[0], edit.getValue()[1]).toDictionary();
            assertOneErrorAndTrafficContinues(() -> server.update(invalid), edit.getKey(), socks);
        }
        assertThat(felix.componentConfigurations(AnyTlsFelix.SERVER_COMPONENT)).singleElement()
                .extracting(state -> state.state).isEqualTo(ComponentConfigurationDTO.ACTIVE);

        for (Object[] edit : List.of(new Object[] {"port", "70000"}, new Object[] {"openTimeout", "soon"},
                new Object[] {"listenAddress", "localhost"})) {
            Dictionary<String, Object> invalid = HostConfig.via("socks", "edge-client")
                    .set((String) edit[0], edit[1]).toDictionary();
            assertOneErrorAndTrafficContinues(() -> host.update(invalid), (String) edit[0], socks);
        }

        // A valid edit then applies: the server reconfigures in place, and the host keeps its listener.
        var reconfigured = log.next(record -> LogCapture.text(record).contains("AnyTLS server edge reconfigured"));
        server.update(ServerConfig.of("edge", "alice", PASSWORD, peers.pki()).set("authTimeout", "3s")
                .toDictionary());
        reconfigured.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        echoThrough(socks, "after a valid edit");

        // A valid edit of the host applies on the running listener: a connection open across it carries on.
        byte[] payload = "across a valid host edit".getBytes(StandardCharsets.UTF_8);
        try (Socks5Connection open = Socks5Connection.open(socks, peers.echo().address(), TIMEOUT)) {
            assertThat(open.reply()).isZero();
            var applied = log.next(record -> LogCapture.text(record).contains("proxy 'socks' reconfigured"));
            host.update(HostConfig.via("socks", "edge-client").set("handshakeTimeout", "5s").toDictionary());
            applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(open.echo(payload)).isEqualTo(payload);
        }
        echoThrough(socks, "after a valid host edit");
        assertThat(log.texts()).noneMatch(text -> text.contains(PASSWORD));
    }

    private InetSocketAddress configureAndAwait(ServerConfig edge) throws Exception {
        var bound = edge.bound(log);
        felix.configure(SERVER_PID, "edge", edge.toDictionary());
        return bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void assertOneErrorAndTrafficContinues(ThrowingAction edit, String property, InetSocketAddress socks)
            throws Exception {
        log.clear();
        var rejected = log.next(record -> record.getLevel() == Level.SEVERE
                && LogCapture.text(record).contains(property));
        edit.run();
        String line = LogCapture.text(rejected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(line).contains("previous configuration");

        echoThrough(socks, "after a bad " + property);

        assertThat(log.texts()).as("ERROR lines after the bad %s", property)
                .filteredOn(text -> text.startsWith("SEVERE")).containsExactly(line);
        assertThat(log.thrown()).as("stack traces after the bad %s", property).isEmpty();
    }

    private void echoThrough(InetSocketAddress socks, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        try (Socks5Connection connection = Socks5Connection.open(socks, peers.echo().address(), TIMEOUT)) {
            assertThat(connection.reply()).isZero();
            assertThat(connection.echo(payload)).isEqualTo(payload);
        }
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }
}
