package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.server.AnyTlsServerRuntime;
import org.anytls4j.testkit.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DS component's lifecycle, driven the way SCR drives it, without a framework. */
class AnyTlsServerComponentTest {
    private final AnyTlsServerComponent component = new AnyTlsServerComponent();

    @AfterEach
    void deactivate() {
        component.deactivate();
    }

    private static Map<String, Object> properties(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "org.anytls4j.anytls.server~test");
        properties.put("name", "component-test");
        properties.put("port", 0);
        properties.put(".users", new String[] {"alice:alice-password"});
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void activationListensOnLoopbackByDefaultAndDeactivationStopsListening() throws Exception {
        component.activate(null, properties());
        InetSocketAddress bound = component.runtime().bound().get(20, TimeUnit.SECONDS);
        assertThat(bound.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        new Socket(bound.getAddress(), bound.getPort()).close();

        long start = System.nanoTime();
        component.deactivate();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThanOrEqualTo(AnyTlsServerComponent.DEACTIVATION_TIMEOUT.plusSeconds(1));
        assertThat(component.runtime()).isNull();
        assertThatThrownBy(() -> new Socket(bound.getAddress(), bound.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void anInvalidPropertyIsLoggedOnceNamingItAndActivationDoesNotFail() {
        try (CapturedLog log = CapturedLog.of(AnyTlsServerComponent.class)) {
            component.activate(null, properties("idleSessionTimeout", "soon"));

            assertThat(component.runtime()).isNull();
            assertThat(log.messages(Level.SEVERE)).singleElement().asString()
                    .contains("org.anytls4j.anytls.server~test", "'idleSessionTimeout'", "'soon'");
            assertThat(log.anyStackTrace()).isFalse();
        }
    }

    @Test
    void correctingARejectedConfigurationStartsTheServer() throws Exception {
        component.activate(null, properties("paddingScheme", "stop=x"));
        assertThat(component.runtime()).isNull();

        component.modified(properties());

        assertThat(component.runtime().bound().get(20, TimeUnit.SECONDS).getPort()).isPositive();
    }

    @Test
    void aPasswordNeverAppearsInTheRejection() {
        try (CapturedLog log = CapturedLog.of(AnyTlsServerComponent.class)) {
            component.activate(null, properties(".users", new String[] {"alice:same-secret", "bob:same-secret"}));

            assertThat(log.messages(Level.SEVERE)).singleElement().asString()
                    .contains("'.users'").doesNotContain("same-secret");
        }
    }

    @Test
    void aRejectedChangeLeavesTheRunningServerListeningAndLogsOneLine() throws Exception {
        component.activate(null, properties());
        AnyTlsServerRuntime running = component.runtime();
        InetSocketAddress bound = running.bound().get(20, TimeUnit.SECONDS);
        Map<String, Object[]> invalid = Map.of(
                "certificateFile", new Object[] {"certificateFile", "/nonexistent/cert.pem",
                        "privateKeyFile", "/nonexistent/key.pem"},
                "paddingScheme", new Object[] {"paddingScheme", "stop=x"},
                "port", new Object[] {"port", 70000},
                "authTimeout", new Object[] {"authTimeout", "soon"});
        for (Map.Entry<String, Object[]> edit : invalid.entrySet()) {
            try (CapturedLog log = CapturedLog.of(AnyTlsServerComponent.class);
                 CapturedLog runtimeLog = CapturedLog.of(AnyTlsServerRuntime.class)) {
                component.modified(properties(edit.getValue()));

                assertThat(log.messages(Level.SEVERE)).as(edit.getKey()).singleElement().asString()
                        .contains("'" + edit.getKey() + "'", "previous configuration");
                assertThat(log.anyStackTrace() || runtimeLog.anyStackTrace()).isFalse();
                assertThat(runtimeLog.messages(Level.INFO)).as("nothing stopped").isEmpty();
            }
            assertThat(component.runtime()).isSameAs(running);
            new Socket(bound.getAddress(), bound.getPort()).close();
        }
    }

    @Test
    void aNewListenAddressIsBoundBeforeTheOldListenerCloses() throws Exception {
        component.activate(null, properties());
        InetSocketAddress old = component.runtime().bound().get(20, TimeUnit.SECONDS);
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }

        component.modified(properties("port", free));

        assertThat(component.lastChange().get(20, TimeUnit.SECONDS).getPort()).isEqualTo(free);
        assertThat(component.runtime().localAddress().getPort()).isEqualTo(free);
        new Socket("127.0.0.1", free).close();
        assertThatThrownBy(() -> new Socket(old.getAddress(), old.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aListenAddressThatCannotBeBoundKeepsTheOldListener() throws Exception {
        component.activate(null, properties());
        InetSocketAddress old = component.runtime().bound().get(20, TimeUnit.SECONDS);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             CapturedLog log = CapturedLog.of(AnyTlsServerRuntime.class)) {
            component.modified(properties("port", busy.getLocalPort()));

            assertThatThrownBy(() -> component.lastChange().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(log.messages(Level.SEVERE)).singleElement().asString()
                    .contains(String.valueOf(busy.getLocalPort()), "keeps listening");
        }
        assertThat(component.runtime().localAddress()).isEqualTo(old);
        new Socket(old.getAddress(), old.getPort()).close();
    }

    @Test
    void aMisspelledKeyIsWarnedAboutAndKarafsKeysAreNot() throws Exception {
        try (CapturedLog log = CapturedLog.of(org.anytls4j.common.config.UnknownProperties.class)) {
            component.activate(null, properties("idleSesionTimeout", "10s", "service.factoryPid", "x",
                    "felix.fileinstall.filename", "file:/x.cfg", "component.name", "c", "component.id", 1L));

            assertThat(log.messages(Level.WARNING)).containsExactly("configuration org.anytls4j.anytls.server~test:"
                    + " unknown property idleSesionTimeout; did you mean idleSessionTimeout?");
        }
        component.runtime().bound().get(20, TimeUnit.SECONDS);
    }

    @Test
    void theComponentCanBeActivatedAgainAfterDeactivation() throws Exception {
        component.activate(null, properties());
        component.runtime().bound().get(20, TimeUnit.SECONDS);
        component.deactivate();

        component.activate(null, properties());

        assertThat(component.runtime().bound().get(20, TimeUnit.SECONDS).getPort()).isPositive();
    }
}
