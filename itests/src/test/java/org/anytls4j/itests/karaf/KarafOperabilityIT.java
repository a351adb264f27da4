package org.anytls4j.itests.karaf;

import org.anytls4j.testkit.BoundedWait;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.anytls4j.itests.support.EchoServer;
import org.anytls4j.itests.support.Socks5Connection;
import org.anytls4j.itests.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operating anytls4j in a real Karaf as an operator does (issue 18): after traffic through the host, the shell
 * commands of the anytls4j-management feature run through {@code bin/client} and show real values, the MBeans read
 * over a real JMX connection show the same, a refused destination leaves exactly one log line, a burst of failures
 * a bounded number, a {@code .cfg} edit names the changed properties without secrets, and no password shows in
 * {@code config:list}, {@code service:list}, JMX or the log. Passwords reach the components through
 * {@code $[env:...]} interpolation, as {@code ./run} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafOperabilityIT {
    private static final Duration KARAF_READY = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    private static final String CONSOLE_USER = "karaf";
    private static final String TRANSPORT_MBEAN = "org.anytls4j:type=transport,name=default";
    private static final String SERVER_MBEAN = "org.anytls4j:type=server,name=it";

    private final FreePorts ports = new FreePorts();
    private final String password = "pw" + randomHex(12);
    private final String otherPassword = "pw" + randomHex(12);
    private final String consolePassword = randomHex(12);
    private final int serverPort = ports.next();
    private final int hostPort = ports.next();
    private final int sshPort = ports.next();
    private final int rmiRegistryPort = ports.next();
    private final int rmiServerPort = ports.next();
    /** Nobody listens here: opens to it are refused. */
    private final int closedPort = ports.next();
    private final int burstPort = ports.next();
    private KarafHome karaf;
    private KarafProcess process;
    private KarafConsole console;
    private EventLoopGroup echoLoop;
    private EchoServer echo;

    @BeforeAll
    void startKaraf() throws IOException {
        Path artifacts = Path.of(required("itests.karaf.artifacts"));
        String version = required("itests.project.version");
        Path work = Path.of(System.getProperty("itests.work", "target/itests-work")).toAbsolutePath()
                .resolve("karaf-operability");
        karaf = KarafHome.unpack(artifacts.resolve("apache-karaf.tar.gz"), work, required("itests.karaf.version"));
        karaf.listenOnLoopback(sshPort, rmiRegistryPort, rmiServerPort);
        karaf.addConsoleUser(CONSOLE_USER, consolePassword);
        karaf.resolveFrom(Path.of(required("itests.maven.repository")));
        for (String artifact : List.of("anytls4j-transport-api", "anytls4j-bundle", "anytls4j-host",
                "anytls4j-management")) {
            karaf.stage("org.anytls4j", artifact, version, null, "jar", artifacts.resolve(artifact + ".jar"));
        }
        karaf.stage("org.anytls4j", "anytls4j-features", version, "features", "xml",
                artifacts.resolve("anytls4j-features-features.xml"));
        echoLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        echo = new EchoServer(echoLoop);
        console = new KarafConsole(karaf, sshPort, CONSOLE_USER, consolePassword, work.resolve("console.txt"));
        process = KarafProcess.start(karaf, work.resolve("karaf-stdout.log"),
                Map.of("ANYTLS_IT_PASSWORD", password, "ANYTLS_IT_OTHER_PASSWORD", otherPassword));

        await("Karaf at start level 100 (log: " + karaf.log() + ")").atMost(KARAF_READY)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .failFast("Karaf exited", () -> !process.isAlive())
                .until(() -> console.run("system:start-level"), out -> out.contains("Level 100"));
        String session = console.run(
                "feature:repo-add mvn:org.anytls4j/anytls4j-features/" + version + "/xml/features",
                "feature:install anytls4j anytls4j-host anytls4j-management");
        assertThat(session).doesNotContain(KarafConsole.COMMAND_ERROR);
    }

    @AfterAll
    void stopEverything() {
        try {
            if (process != null) {
                process.stop();
            }
        } finally {
            if (echo != null) {
                echo.close();
            }
            if (echoLoop != null) {
                BoundedWait.sync(echoLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Order(1)
    void trafficFlowsThroughHostTransportAndServer() throws IOException {
        TestPki.write(karaf.etc().resolve("anytls"));
        writeCfg("org.anytls4j.anytls.server-it.cfg", serverCfg("$[env:ANYTLS_IT_PASSWORD]", ""));
        writeCfg("org.anytls4j.anytls.client-default.cfg", """
                transport.name = default
                server = 127.0.0.1:%d
                .password = $[env:ANYTLS_IT_PASSWORD]
                insecure = true
                """.formatted(serverPort));
        // Confirmed opens: the tests below count failure replies and their log lines, and with early data (the
        // default) a refused destination on a session that was just busy is answered with success and reported
        // as a late failure instead (docs/host.md, "Early data").
        writeCfg("org.anytls4j.host-it.cfg", """
                name = it
                listenAddress = 127.0.0.1
                port = %d
                outbound.target = (transport.name=default)
                earlyData = false
                """.formatted(hostPort));
        await("an echo through the host's SOCKS5 port").atMost(STEP).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> assertEcho("first"));
        assertEcho("second");
    }

    @Test
    @Order(2)
    void commandsShowTheTrafficAndTheUsersSession() {
        String out = console.run("transport:list", "anytls:server-list", "transport:sessions default",
                "transport:info default");
        assertThat(out).doesNotContain(KarafConsole.COMMAND_ERROR);

        List<String> transport = ConsoleTables.row(out, "default");
        assertThat(transport.get(1)).isEqualTo("anytls");
        assertThat(transport.get(2)).isEqualTo("UP");
        assertThat(ConsoleTables.pair(transport.get(3))[1]).as("streams total").isGreaterThanOrEqualTo(2);
        long[] bytes = ConsoleTables.pair(transport.get(5));
        assertThat(bytes[0]).as("bytes up").isPositive();
        assertThat(bytes[1]).as("bytes down").isPositive();

        List<String> server = ConsoleTables.row(out, "it");
        assertThat(server.get(1)).isEqualTo("127.0.0.1:" + serverPort);
        assertThat(ConsoleTables.pair(server.get(2))[1]).as("sessions total").isPositive();
        assertThat(server.get(4)).as("users").startsWith("it ");

        assertThat(out).contains("127.0.0.1:" + serverPort); // transport:sessions' remote address
        assertThat(ConsoleTables.value(out, "Opens succeeded")).isEqualTo(Long.toString(
                ConsoleTables.pair(transport.get(3))[1]));
        assertThat(ConsoleTables.value(out, "Capabilities")).contains("multiplexed");
        assertThat(out).doesNotContain(password);
    }

    @Test
    @Order(3)
    void transportTestSucceedsAgainstAListenerAndFailsClearlyAgainstAClosedPort() {
        String good = console.run("transport:test default 127.0.0.1:" + echo.address().getPort() + " -n 3");
        assertThat(good).contains("#1  OK", "#3  OK")
                .contains("3 of 3 opens to 127.0.0.1:" + echo.address().getPort() + " through 'default' succeeded");

        String bad = console.run("transport:test default 127.0.0.1:" + closedPort + " -n 1");
        assertThat(bad).contains("#1  FAILED").contains("DESTINATION_REFUSED")
                .contains("0 of 1 opens to 127.0.0.1:" + closedPort);
    }

    @Test
    @Order(4)
    void mbeansShowTheValuesTheCommandsShow() throws Exception {
        String out = console.run("transport:info default", "anytls:server-info it");
        try (KarafJmx jmx = KarafJmx.connect(rmiRegistryPort, rmiServerPort, CONSOLE_USER, consolePassword)) {
            assertThat(jmx.attribute(TRANSPORT_MBEAN, "OpensSucceeded").toString())
                    .isEqualTo(ConsoleTables.value(out, "Opens succeeded"));
            assertThat(jmx.attribute(TRANSPORT_MBEAN, "OpensFailed").toString())
                    .isEqualTo(ConsoleTables.value(out, "Opens failed"));
            assertThat(jmx.attribute(TRANSPORT_MBEAN, "BytesOut").toString())
                    .isEqualTo(ConsoleTables.value(out, "Bytes out"));
            assertThat(jmx.attribute(TRANSPORT_MBEAN, "Health")).isEqualTo(ConsoleTables.value(out, "Health"));
            assertThat(jmx.attribute(SERVER_MBEAN, "SessionsTotal").toString())
                    .isEqualTo(ConsoleTables.value(out, "Sessions total"));
            assertThat(jmx.attribute(SERVER_MBEAN, "StreamsTotal").toString())
                    .isEqualTo(ConsoleTables.value(out, "Streams total"));
            assertThat(jmx.attribute(SERVER_MBEAN, "ListeningOn")).isEqualTo("127.0.0.1:" + serverPort);
            assertThat(jmx.allAttributes(SERVER_MBEAN)).contains("it").doesNotContain(password);
            assertThat(jmx.allAttributes(TRANSPORT_MBEAN)).doesNotContain(password);

            String[] test = (String[]) jmx.invoke(TRANSPORT_MBEAN, "test",
                    new Object[] {"127.0.0.1:" + echo.address().getPort(), 1},
                    new String[] {String.class.getName(), int.class.getName()});
            assertThat(test[test.length - 1]).startsWith("1 of 1 opens");
        }
    }

    @Test
    @Order(5)
    void aRefusedDestinationThroughTheHostLogsExactlyOneLine() throws IOException {
        try (Socks5Connection refused = socks(closedPort)) {
            assertThat(refused.reply()).as("SOCKS5 reply for a refused destination").isNotEqualTo(0);
        }
        String needle = "127.0.0.1:" + closedPort + " through transport 'default' failed: DESTINATION_REFUSED";
        await("the refused open in " + karaf.log()).atMost(STEP).pollInterval(Duration.ofMillis(200))
                .until(() -> linesWith(needle), lines -> lines >= 1);
        assertThat(linesWith(needle)).isEqualTo(1);
        assertThat(linesWith("127.0.0.1:" + closedPort)).as("lines naming the destination").isEqualTo(1);
    }

    @Test
    @Order(6)
    void aThousandFailuresLeaveABoundedNumberOfLines() throws IOException {
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            try (Socks5Connection refused = socks(burstPort)) {
                assertThat(refused.reply()).isNotEqualTo(0);
            }
        }
        String out = console.run("transport:info default");
        assertThat(Long.parseLong(ConsoleTables.value(out, "Failed: DESTINATION_REFUSED"))).isGreaterThan(1000);
        // At most the burst of each minute (10 lines per transport) names the port; the rest are counted and
        // reported by one "suppressed N similar lines" line when the minute ends.
        long windows = Duration.ofNanos(System.nanoTime() - started).toMinutes() + 1;
        assertThat(linesWith("127.0.0.1:" + burstPort)).isBetween(1L, 10 * windows);
    }

    @Test
    @Order(7)
    void aCfgEditLogsTheChangedPropertiesAndNoSecret() {
        // The edit also moves the user's password from the environment into a secrets file: Karaf sets the
        // interpolation plugin's secrets directory to etc/, so $[secret:NAME] reads etc/NAME. The echo below can
        // only pass if the restarted server got the password from that file.
        writeCfg("anytls-it-password", password);
        writeCfg("org.anytls4j.anytls.server-it.cfg", serverCfg("$[secret:anytls-it-password]",
                ",other:$[env:ANYTLS_IT_OTHER_PASSWORD]"));
        String change = "AnyTLS server it configuration changed: .users: <changed>";
        await("'" + change + "' in " + karaf.log()).atMost(STEP).pollInterval(Duration.ofMillis(200))
                .until(() -> linesWith(change), lines -> lines == 1);
        await("the chain after the server restarted").atMost(STEP).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> assertEcho("after the edit"));
        assertThat(karaf.logText()).doesNotContain(password).doesNotContain(otherPassword);
    }

    @Test
    @Order(8)
    void noPasswordInConfigListServiceListOrTheLog() {
        String out = console.run("config:list '(service.factoryPid=org.anytls4j.*)'",
                "service:list org.anytls4j.transport.api.OutboundTransport",
                "service:list org.anytls4j.transport.api.server.ServerView");
        assertThat(out).contains("org.anytls4j.anytls.client", "org.anytls4j.anytls.server", "transport.name = default");
        assertThat(out).doesNotContain(password).doesNotContain(otherPassword);
        assertThat(karaf.logText()).doesNotContain(password).doesNotContain(otherPassword);
    }

    @Test
    @Order(9)
    void healthChecksAppearOnceTheHealthCheckApiIsInstalled() {
        String before = console.run("service:list org.apache.felix.hc.api.HealthCheck");
        assertThat(before).doesNotContain("anytls4j");

        // The API is an optional import of the management bundle: a refresh wires it.
        String install = console.run("bundle:install -s mvn:org.apache.felix/org.apache.felix.healthcheck.api/2.0.4",
                "bundle:refresh org.anytls4j.management");
        assertThat(install).doesNotContain(KarafConsole.COMMAND_ERROR);
        await("health checks of the transport and the server").atMost(STEP).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(console.run("service:list org.apache.felix.hc.api.HealthCheck"))
                        .contains("hc.name = anytls4j transport default", "hc.name = anytls4j anytls server it",
                                "hc.tags = [anytls4j]"));
    }

    private String serverCfg(String itPassword, String moreUsers) {
        return """
                name = it
                listenAddress = 127.0.0.1
                port = %d
                certificateFile = ${karaf.etc}/anytls/certificate.pem
                privateKeyFile = ${karaf.etc}/anytls/private-key.pem
                .users = it:%s%s
                """.formatted(serverPort, itPassword, moreUsers);
    }

    private void writeCfg(String name, String content) {
        CfgFiles.writeAtomically(karaf.etc().resolve(name), content);
    }

    private long linesWith(String text) {
        return karaf.logText().lines().filter(line -> line.contains(text)).count();
    }

    private Socks5Connection socks(int port) throws IOException {
        return Socks5Connection.open(new InetSocketAddress("127.0.0.1", hostPort),
                new InetSocketAddress("127.0.0.1", port), IO_TIMEOUT);
    }

    private void assertEcho(String label) throws IOException {
        try (Socks5Connection connection = Socks5Connection.open(new InetSocketAddress("127.0.0.1", hostPort),
                echo.address(), IO_TIMEOUT)) {
            assertThat(connection.reply()).as("SOCKS5 reply (%s)", label).isEqualTo(Socks5Connection.SUCCEEDED);
            byte[] data = ("echo " + label + " " + randomHex(8)).getBytes(StandardCharsets.UTF_8);
            assertThat(connection.echo(data)).as("echo (%s)", label).isEqualTo(data);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run this test through "
                    + "Maven (mvn verify -pl itests), whose Failsafe configuration sets it");
        }
        return value;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
