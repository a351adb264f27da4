package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.anytls4j.anytls.config.AnyTlsUri;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code anytls://} URIs (spec §14), as users paste them into configuration: only {@link IllegalArgumentException}
 * on bad input, canonical forms that parse back to the same URI, and the password never in a message or
 * {@code toString}.
 */
class AnyTlsUriFuzzTest {
    /** Stands in for a password; asserted absent from everything that could end up in a log. */
    private static final String MARKER = "Zq7Secret";

    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void anyTextParsesToARoundTrippingUriOrAClearRefusal(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        AnyTlsUri uri;
        try {
            uri = AnyTlsUri.parse(text);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(uri.port()).isBetween(1, 65535);
        assertThat(AnyTlsUri.parse(uri.toUriString(true))).isEqualTo(uri);
        AnyTlsUri masked = AnyTlsUri.parse(uri.toString());
        assertThat(masked.server()).isEqualTo(uri.server());
        assertThat(masked.otherParameters()).isEqualTo(uri.otherParameters());
    }

    /** A password somewhere before the last '@': neither an error message nor toString may show it. */
    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void thePasswordNeverShowsInMessagesOrToString(FuzzedDataProvider data) {
        String before = data.consumeString(40);
        String after = data.consumeString(40);
        String rest = data.consumeRemainingAsString();
        if (rest.indexOf('@') >= 0 || rest.indexOf('%') >= 0 || (before + after + rest).contains("://")
                || rest.toLowerCase(Locale.ROOT).contains(MARKER.toLowerCase(Locale.ROOT))) {
            return; // the marker must stay in the userinfo, and must not be spelt again after it
        }
        String text = "anytls://" + before + MARKER + after + "@" + rest;
        AnyTlsUri uri;
        try {
            uri = AnyTlsUri.parse(text);
        } catch (IllegalArgumentException refused) {
            for (Throwable t = refused; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(MARKER);
            }
            return;
        }
        assertThat(uri.toString()).doesNotContain(MARKER);
        assertThat(uri.password()).isPresent();
        assertThat(uri.password().get().toString()).doesNotContain(MARKER);
    }
}
