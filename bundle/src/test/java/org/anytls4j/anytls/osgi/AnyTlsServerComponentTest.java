package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    void anInvalidPropertyFailsActivationNamingIt() {
        assertThatThrownBy(() -> component.activate(null, properties("idleSessionTimeout", "soon")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("idleSessionTimeout"));
        assertThat(component.runtime()).isNull();
    }

    @Test
    void anInvalidPaddingSchemeFailsActivationNamingIt() {
        assertThatThrownBy(() -> component.activate(null, properties("paddingScheme", "stop=x")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("paddingScheme"));
        assertThat(component.runtime()).isNull();
    }

    @Test
    void aPasswordNeverAppearsInTheActivationError() {
        assertThatThrownBy(() -> component.activate(null, properties(".users",
                new String[] {"alice:same-secret", "bob:same-secret"})))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageNotContaining("same-secret");
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
