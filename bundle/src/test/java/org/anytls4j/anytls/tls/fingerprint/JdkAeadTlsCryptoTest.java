package org.anytls4j.anytls.tls.fingerprint;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.security.Security;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record layer's ciphers come from the JDK (SunJCE: AES-GCM on the CPU's AES and carry-less multiply
 * instructions), not from Bouncy Castle's pure-Java AES, and using the engine registers no JVM-wide provider.
 */
class JdkAeadTlsCryptoTest {
    @Test
    void aeadCiphersAreTheJdksAndNoProviderIsRegistered() throws Exception {
        JdkAeadTlsCrypto crypto = new JdkAeadTlsCrypto(new SecureRandom());

        // bctls's JceAEADCipherImpl asks this helper for the cipher by these names.
        assertThat(crypto.getHelper().createCipher("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(crypto.getHelper().createCipher("ChaCha20-Poly1305").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(Security.getProvider("BC")).isNull();
        assertThat(Security.getProvider("BCJSSE")).isNull();
    }
}
