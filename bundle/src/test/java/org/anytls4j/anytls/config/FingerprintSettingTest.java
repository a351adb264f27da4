package org.anytls4j.anytls.config;

import org.anytls4j.anytls.tls.fingerprint.BouncyCastleAvailability;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.anytls4j.anytls.config.SecretAssertions.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The client's {@code fingerprint} property and the URI's {@code fp} parameter. */
class FingerprintSettingTest {
    private static final String PASSWORD = "fp-secret";
    private static final String NO_BOUNCY_CASTLE = "Bouncy Castle 1.84 is not available: install the Karaf feature "
            + BouncyCastleAvailability.FEATURE;

    private static Map<String, Object> with(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("transport.name", "fp");
        properties.put("server", "hk1.example.net:443");
        properties.put(".password", PASSWORD);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    private static InvalidConfigurationException rejection(Map<String, Object> properties) {
        InvalidConfigurationException thrown = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ClientSettings.from(properties));
        assertThat(thrown).as("rejection of %s", properties).isNotNull();
        assertNotLeaked(thrown, PASSWORD);
        return thrown;
    }

    @Test
    void noneIsTheDefaultAndChromeIsReadInAnyCase() {
        assertThat(ClientSettings.from(with()).fingerprint()).isEqualTo("none");
        assertThat(ClientSettings.from(with("fingerprint", " Chrome ")).fingerprint()).isEqualTo("chrome");
        assertThat(ClientSettings.from(with("fingerprint", "none")).fingerprint()).isEqualTo("none");
    }

    @Test
    void anUnknownProfileIsRejectedNamingThePropertyAndTheAcceptedValues() {
        InvalidConfigurationException rejected = rejection(with("fingerprint", "firefox"));

        assertThat(rejected.property()).isEqualTo("fingerprint");
        assertThat(rejected.getMessage()).contains("'firefox'").contains("expected one of none, chrome");
    }

    @Test
    void theUriGivesItAsFpAndMustAgreeWithTheProperty() {
        String uri = "anytls://" + PASSWORD + "@hk1.example.net/?fp=chrome";
        Map<String, Object> fromUri = with(".uri", uri);
        fromUri.remove("server");
        fromUri.remove(".password");

        assertThat(ClientSettings.from(fromUri).fingerprint()).isEqualTo("chrome");
        assertThat(ClientSettings.from(with(".uri", uri, "fingerprint", "chrome")).fingerprint())
                .isEqualTo("chrome");
        InvalidConfigurationException disagreeing = rejection(with(".uri", uri, "fingerprint", "none"));
        assertThat(disagreeing.property()).isEqualTo(".uri");
        assertThat(disagreeing.getMessage()).contains("fp=chrome differs from 'fingerprint' = none");
    }

    @Test
    void theUriRefusesAnFpItCannotHonourAndIgnoresAnEmptyOne() {
        assertThat(AnyTlsUri.parse("anytls://pw@h.example/?fp=CHROME").fingerprint()).contains("chrome");
        assertThat(AnyTlsUri.parse("anytls://pw@h.example/?fp=").fingerprint()).isEmpty();
        assertThat(AnyTlsUri.parse("anytls://pw@h.example/?sni=a.example&fp=chrome&x=1").toUriString(false))
                .isEqualTo("anytls://***@h.example:443/?sni=a.example&fp=chrome&x=1");

        InvalidConfigurationException rejected = rejection(with(".uri", "anytls://" + PASSWORD
                + "@hk1.example.net/?fp=randomized"));
        assertThat(rejected.property()).isEqualTo(".uri");
        assertThat(rejected.getMessage()).contains("fp='randomized' is not one of none, chrome");
    }

    @Test
    void chromeWithoutBouncyCastleIsRejectedNamingThePropertyAndWhatToInstall() {
        InvalidConfigurationException rejected = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ClientSettings.from(new ConfigReader(with("fingerprint", "chrome")),
                        () -> Optional.of(NO_BOUNCY_CASTLE)));

        assertThat(rejected.property()).isEqualTo("fingerprint");
        assertThat(rejected.getMessage()).contains("'chrome'").contains("anytls4j-fingerprint");
    }

    @Test
    void noneNeedsNoBouncyCastle() {
        ClientSettings settings = ClientSettings.from(new ConfigReader(with("fingerprint", "none")),
                () -> Optional.of(NO_BOUNCY_CASTLE));

        assertThat(settings.fingerprint()).isEqualTo("none");
    }

    @Test
    void bouncyCastleIsAvailableOnTheTestClassPath() {
        assertThat(BouncyCastleAvailability.problem()).isEmpty();
    }

    @Test
    void changingTheFingerprintIsMoreThanAPoolChange() {
        ClientSettings none = ClientSettings.from(with());

        assertThat(none.isPoolOnlyChange(ClientSettings.from(with("fingerprint", "chrome")))).isFalse();
        assertThat(ClientSettings.from(with("fingerprint", "chrome")).toString()).contains("fingerprint=chrome");
    }
}
