package org.anytls4j.anytls.config;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a secret appears nowhere in an exception, its causes or a printed value. */
final class SecretAssertions {

    private SecretAssertions() {
    }

    static void assertNotLeaked(Throwable thrown, String secret) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                    .doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }
}
