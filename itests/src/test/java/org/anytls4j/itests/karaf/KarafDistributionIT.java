package org.anytls4j.itests.karaf;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.anytls4j.itests.support.EchoServer;
import org.anytls4j.itests.support.TestPki;
import org.anytls4j.itests.support.Socks5Connection;
import org.anytls4j.testkit.BoundedWait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product in a real Apache Karaf, driven as an operator would: {@code feature:install} from the project's
 * features repository, {@code .cfg} files dropped into {@code etc/}, a live pool change by editing a file, traffic
 * through the host's SOCKS5 port, and a rebuilt bundle hot-deployed through {@code deploy/}. The steps build on each
 * other and run in order in one Karaf; a failed step makes the later ones fail too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafDistributionIT {
    private static final String BUNDLE_SYMBOLIC_NAME = "org.anytls4j.anytls";
    private static final Duration KARAF_READY = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    private static final String CONSOLE_USER = "karaf";
    /** Table columns of the console: '|' in batch mode (no terminal), '│' on a terminal. */
    private static final Pattern COLUMN = Pattern.compile("[|│]");
    /** Logged by the client component whenever it (re)activates, i.e. once per start of the bundle. */
    private static final String TRANSPORT_STARTED = "AnyTLS transport default started";
    /** Logged by the client component for a configuration change that left the running transport in place. */
    private static final String POOL_UPDATED = "AnyTLS transport default reconfigured: POOL_UPDATED";

    private final FreePorts ports = new FreePorts();
    private final String password = randomHex(16);
    private final int serverPort = ports.next();
    private final int hostPort = ports.next();
    /** The host listener routed through the transport with fingerprint = chrome. */
    private final int chromeHostPort = ports.next();
    private final int sshPort = ports.next();
    private Path artifacts;
    private String version;
    private KarafHome karaf;
    private KarafProcess process;
    private KarafConsole console;
    private EventLoopGroup echoLoop;
    private EchoServer echo;

    @BeforeAll
    void startKaraf() throws IOException {
        artifacts = Path.of(required("itests.karaf.artifacts"));
        version = required("itests.project.version");
        Path work = Path.of(System.getProperty("itests.work", "target/itests-work")).toAbsolutePath().resolve("karaf");
        karaf = KarafHome.unpack(artifacts.resolve("apache-karaf.tar.gz"), work, required("itests.karaf.version"));
        karaf.listenOnLoopback(sshPort, ports.next(), ports.next());
        String consolePassword = randomHex(12);
        karaf.addConsoleUser(CONSOLE_USER, consolePassword);
        karaf.resolveFrom(Path.of(required("itests.maven.repository")));
        karaf.stage("org.anytls4j", "anytls4j-transport-api", version, null, "jar",
                artifacts.resolve("anytls4j-transport-api.jar"));
        karaf.stage("org.anytls4j", "anytls4j-bundle", version, null, "jar", artifacts.resolve("anytls4j-bundle.jar"));
        karaf.stage("org.anytls4j", "anytls4j-host", version, null, "jar", artifacts.resolve("anytls4j-host.jar"));
        karaf.stage("org.anytls4j", "anytls4j-features", version, "features", "xml",
                artifacts.resolve("anytls4j-features-features.xml"));

        echoLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        echo = new EchoServer(echoLoop);
        console = new KarafConsole(karaf, sshPort, CONSOLE_USER, consolePassword, work.resolve("console.txt"));
        process = KarafProcess.start(karaf, work.resolve("karaf-stdout.log"));
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
    void featuresInstallFromTheProjectRepository() {
        await("Karaf at start level 100 (log: " + karaf.log() + ")").atMost(KARAF_READY)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .failFast("Karaf exited", () -> !process.isAlive())
                .until(() -> console.run("system:start-level"), out -> out.contains("Level 100"));

        // One console session (each costs a JVM start): feature:install returns when the features are installed.
        String session = console.run(
                "feature:repo-add mvn:org.anytls4j/anytls4j-features/" + version + "/xml/features",
                // -r: Bouncy Castle would otherwise make Karaf refresh its own bundles that import it optionally
                // (the SSH server among them), cutting this very console session; installed in one go with anytls4j,
                // it is wired to anytls4j without a refresh.
                "feature:install -r anytls4j anytls4j-host anytls4j-fingerprint",
                "feature:list -i",
                "bundle:list -s -t 0");
        assertThat(session).doesNotContain(KarafConsole.COMMAND_ERROR);
        assertThat(featureLine(session, "anytls4j")).contains("Started");
        assertThat(featureLine(session, "anytls4j-host")).contains("Started");
        assertThat(featureLine(session, "anytls4j-fingerprint")).contains("Started");
        assertThat(bundleLine(session, "bctls")).contains("Active");
        assertThat(bundleLine(session, BUNDLE_SYMBOLIC_NAME)).contains("Active");
        assertThat(bundleLine(session, "org.anytls4j.host")).contains("Active");
        // Installing a feature starts no instance: only the .cfg files of the next step do.
        assertThat(accepts(hostPort)).as("host port %s before any .cfg", hostPort).isFalse();
        assertThat(accepts(serverPort)).as("server port %s before any .cfg", serverPort).isFalse();
    }

    @Test
    @Order(2)
    void cfgFilesBringUpServerTransportAndHost() throws IOException {
        TestPki.write(karaf.etc().resolve("anytls"));
        writeCfg("org.anytls4j.anytls.server-it.cfg", """
                name = it
                listenAddress = 127.0.0.1
                port = %d
                certificateFile = ${karaf.etc}/anytls/certificate.pem
                privateKeyFile = ${karaf.etc}/anytls/private-key.pem
                .users = it:%s
                """.formatted(serverPort, password));
        writeCfg("org.anytls4j.anytls.client-default.cfg", clientCfg(""));
        writeCfg("org.anytls4j.host-it.cfg", """
                name = it
                listenAddress = 127.0.0.1
                port = %d
                outbound.target = (transport.name=default)
                """.formatted(hostPort));

        // The same chain on the Bouncy Castle engine: a transport with fingerprint = chrome and its own host port.
        writeCfg("org.anytls4j.anytls.client-chrome.cfg", """
                transport.name = chrome
                server = 127.0.0.1:%d
                .password = %s
                insecure = true
                fingerprint = chrome
                """.formatted(serverPort, password));
        writeCfg("org.anytls4j.host-chrome.cfg", """
                name = chrome
                listenAddress = 127.0.0.1
                port = %d
                outbound.target = (transport.name=chrome)
                """.formatted(chromeHostPort));

        // host -> AnyTLS client "default" -> AnyTLS server -> echo: a SOCKS5 CONNECT succeeds only with all three up
        await("an echo through the host's SOCKS5 port").atMost(STEP).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> assertEchoThroughHost("first"));
        await("an echo through the host of the chrome transport").atMost(STEP).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> {
                    try (Socks5Connection connection = Socks5Connection.open(
                            new InetSocketAddress("127.0.0.1", chromeHostPort), echo.address(), IO_TIMEOUT)) {
                        assertThat(connection.reply()).isEqualTo(Socks5Connection.SUCCEEDED);
                        assertEcho(connection, "through fingerprint = chrome");
                    }
                });
        assertThat(count(karaf.logText(), TRANSPORT_STARTED)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void editingTheClientCfgChangesThePoolLive() throws IOException {
        int poolUpdates = count(karaf.logText(), POOL_UPDATED);
        try (Socks5Connection held = socks()) {
            assertThat(held.reply()).isEqualTo(Socks5Connection.SUCCEEDED);
            assertEcho(held, "held before the edit");

            // maxSessions = 1 while one stream holds the only session. disableReuse = true as well, because it makes
            // the pool close its idle sessions at once: otherwise a session left idle by an earlier step could serve
            // the second stream below without a new session, and the limit would not show.
            writeCfg("org.anytls4j.anytls.client-default.cfg", clientCfg("""
                    maxSessions = 1
                    disableReuse = true
                    """));
            awaitLogCount(POOL_UPDATED, poolUpdates + 1);
            assertEcho(held, "held across the edit");
            try (Socks5Connection refused = socks()) {
                assertThat(refused.reply()).as("SOCKS5 reply to a second stream with maxSessions = 1")
                        .isEqualTo(0x01); // RESOURCE_EXHAUSTED, docs/host.md
            }

            writeCfg("org.anytls4j.anytls.client-default.cfg", clientCfg("""
                    maxSessions = 4
                    """));
            awaitLogCount(POOL_UPDATED, poolUpdates + 2);
            try (Socks5Connection second = socks()) {
                assertThat(second.reply()).as("SOCKS5 reply to a second stream with maxSessions = 4")
                        .isEqualTo(Socks5Connection.SUCCEEDED);
                assertEcho(second, "second after the limit was raised");
            }
            assertEcho(held, "held after both edits");
        }
        // Live means the same transport all along: no restart of the component.
        assertThat(count(karaf.logText(), TRANSPORT_STARTED)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void hotDeployOfARebuiltBundleKeepsWorking() throws IOException {
        String bundleId = bundleId(bundleLine(console.run("bundle:list -s -t 0"), BUNDLE_SYMBOLIC_NAME));
        String build = "it-" + randomHex(4);
        CfgFiles.writeAtomically(karaf.deploy().resolve("anytls4j-bundle.jar"),
                RebuiltBundle.of(artifacts.resolve("anytls4j-bundle.jar"), build));

        // Updated in place: the same bundle id, active, now carries the rebuilt jar's manifest, and no second bundle
        // of that name appeared (bundleLine fails on two).
        await("bundle " + bundleId + " updated from deploy/ and active").atMost(STEP)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    String out = console.run("bundle:headers " + bundleId, "bundle:list -s -t 0");
                    assertThat(out).contains(RebuiltBundle.BUILD_HEADER + " = " + build);
                    String row = bundleLine(out, BUNDLE_SYMBOLIC_NAME);
                    assertThat(bundleId(row)).isEqualTo(bundleId);
                    assertThat(row).contains("Active");
                });

        // The update restarted the components: a new transport, a new server on the same port, the host rebound.
        awaitLogCount(TRANSPORT_STARTED, 2);
        await("an echo through the host's SOCKS5 port after the hot deploy").atMost(STEP)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> assertEchoThroughHost("after hot deploy"));
    }

    @Test
    @Order(5)
    void stopsWithoutLeavingAProcess() {
        List<ProcessHandle> tree = process.processTree();
        assertThat(tree).isNotEmpty();

        assertThat(process.stop()).as("Karaf stopped by bin/stop, without being killed").isTrue();

        assertThat(tree).allSatisfy(handle -> assertThat(handle.isAlive()).as("process %s", handle.pid()).isFalse());
        assertThat(accepts(hostPort)).as("host port after stop").isFalse();
        assertThat(accepts(sshPort)).as("console port after stop").isFalse();
        assertThat(karaf.logText().lines().filter(line -> line.contains("| ERROR |")))
                .as("errors in %s", karaf.log()).isEmpty();
    }

    private String clientCfg(String extra) {
        return """
                transport.name = default
                server = 127.0.0.1:%d
                .password = %s
                # the server's certificate is testkit's, not trusted: skip verification on this loopback pair
                insecure = true
                """.formatted(serverPort, password) + extra;
    }

    private void writeCfg(String name, String content) {
        CfgFiles.writeAtomically(karaf.etc().resolve(name), content);
    }

    private Socks5Connection socks() throws IOException {
        return Socks5Connection.open(new InetSocketAddress("127.0.0.1", hostPort), echo.address(), IO_TIMEOUT);
    }

    private void assertEchoThroughHost(String label) throws IOException {
        try (Socks5Connection connection = socks()) {
            assertThat(connection.reply()).as("SOCKS5 reply (%s)", label).isEqualTo(Socks5Connection.SUCCEEDED);
            assertEcho(connection, label);
        }
    }

    private static void assertEcho(Socks5Connection connection, String label) throws IOException {
        byte[] data = ("echo " + label + " " + randomHex(8)).getBytes(StandardCharsets.UTF_8);
        assertThat(connection.echo(data)).as("echo (%s)", label).isEqualTo(data);
    }

    private void awaitLogCount(String text, int expected) {
        await("'" + text + "' logged " + expected + " times in " + karaf.log()).atMost(STEP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(karaf.logText(), text), logged -> logged >= expected);
        assertThat(count(karaf.logText(), text)).as("'%s' in the log", text).isEqualTo(expected);
    }

    private static int count(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) IO_TIMEOUT.toMillis());
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The row of {@code feature:list -i} for exactly this feature name. */
    private static String featureLine(String featureList, String feature) {
        return featureList.lines()
                .filter(line -> COLUMN.split(line)[0].trim().equals(feature))
                .findFirst()
                .orElseThrow(() -> new AssertionError("feature " + feature + " not installed:\n" + featureList));
    }

    /** The row of {@code bundle:list -s} for exactly this symbolic name; fails if there are several. */
    private static String bundleLine(String bundleList, String symbolicName) {
        List<String> rows = bundleList.lines()
                .filter(line -> {
                    String[] columns = COLUMN.split(line);
                    return columns.length > 1 && columns[columns.length - 1].trim().equals(symbolicName);
                })
                .toList();
        assertThat(rows).as("bundles named %s in:\n%s", symbolicName, bundleList).hasSize(1);
        return rows.get(0);
    }

    private static String bundleId(String bundleRow) {
        Matcher id = Pattern.compile("^\\s*(\\d+)\\s*[|│]").matcher(bundleRow);
        assertThat(id.find()).as("a bundle id in '%s'", bundleRow).isTrue();
        return id.group(1);
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
