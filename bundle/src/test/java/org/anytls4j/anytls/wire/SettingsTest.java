package org.anytls4j.anytls.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @Test
    void splitsAtTheFirstEqualsSign() {
        assertThat(Settings.parse("v=2\nclient=a=b=c\npadding-md5="))
            .containsExactly(entry("v", "2"), entry("client", "a=b=c"), entry("padding-md5", ""));
    }

    @Test
    void keepsCarriageReturnsAndSpacesLikeGo() {
        Map<String, String> settings = Settings.parse("v=2\r\n client = x ");
        assertThat(settings).containsExactly(entry("v", "2\r"), entry(" client ", " x "));
        assertThat(Settings.version(settings)).as("\"2\\r\" is not a number for Go").isEmpty();
    }

    @Test
    void lastDuplicateWinsAndKeepsTheFirstPosition() {
        assertThat(Settings.parse("v=1\nclient=x\nv=2")).containsExactly(entry("v", "2"), entry("client", "x"));
    }

    @Test
    void linesWithoutEqualsAreIgnoredAndAnEmptyKeyIsAKey() {
        assertThat(Settings.parse("\nnoise\n=x\n\nv=2\n")).containsExactly(entry("", "x"), entry("v", "2"));
        assertThat(Settings.parse("")).isEmpty();
    }

    @Test
    void parsesUtf8BodiesWithoutConsumingThem() {
        ByteBuf body = Bytes.fromHex("763d320a636c69656e743dc3a9");
        try {
            assertThat(Settings.parse(body)).containsExactly(entry("v", "2"), entry("client", "é"));
            assertThat(body.readerIndex()).isZero();
        } finally {
            body.release();
        }
        assertThat(Settings.parse("client=é".getBytes(StandardCharsets.UTF_8))).containsEntry("client", "é");
    }

    @Test
    void formatsInOrderWithoutTrailingNewline() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("v", "2");
        settings.put("client", "a=b");
        assertThat(Settings.format(settings)).isEqualTo("v=2\nclient=a=b");
        assertThat(Settings.format("x", "1", "y", "")).isEqualTo("x=1\ny=");
        assertThat(Settings.format(Map.of())).isEmpty();
    }

    @Test
    void formatThenParseRoundTrips() {
        String text = Settings.format("v", "2", "client", "anytls4j/0.1 (x=y)", "padding-md5", "abc");
        assertThat(Settings.parse(text)).containsExactly(
            entry("v", "2"), entry("client", "anytls4j/0.1 (x=y)"), entry("padding-md5", "abc"));
    }

    @Test
    void formatRejectsWhatWouldNotParseBack() {
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("a=b", "1"))
            .withMessageContaining("'a=b'");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("a\nb", "1"))
            .withMessageContaining("'a\\nb'");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("", "1"))
            .withMessageContaining("non-empty");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("client", "x\ny"))
            .withMessageContaining("'client'").withMessageContaining("LF");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("v", "2", "client"))
            .withMessageContaining("3 strings");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.format("v", "1", "v", "2"))
            .withMessageContaining("'v' appears twice");
    }

    @Test
    void clientSettingsUseTheRecommendedOrder() {
        assertThat(Settings.clientSettings("anytls4j/0.1.0", "75cff2ad89aadf5e257059ee571ebe11"))
            .isEqualTo("v=2\nclient=anytls4j/0.1.0\npadding-md5=75cff2ad89aadf5e257059ee571ebe11");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.clientSettings("evil\nv=9", "x"))
            .withMessageContaining("'client'");
    }

    @Test
    void versionFollowsGoAtoi() {
        assertThat(version("2")).hasValue(2);
        assertThat(version("+2")).hasValue(2);
        assertThat(version("-1")).hasValue(-1);
        assertThat(version("002")).hasValue(2);
        assertThat(version("99999999999")).as("accepted by Go, clamped").hasValue(Integer.MAX_VALUE);
        assertThat(version("-99999999999")).hasValue(Integer.MIN_VALUE);
        assertThat(version("9223372036854775807")).hasValue(Integer.MAX_VALUE);
        assertThat(Settings.version(Map.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "-", " 2", "2 ", "2.0", "0x2", "1_0", "two", "٢", "9223372036854775808", "++2"})
    void versionIsEmptyWhenGoAtoiFails(String value) {
        assertThat(version(value)).isEmpty();
    }

    @Test
    void serverSettingsBody() {
        assertThat(Settings.version(Settings.parse(Settings.SERVER_SETTINGS_V2))).hasValue(Settings.PROTOCOL_VERSION);
    }

    private static java.util.OptionalInt version(String value) {
        return Settings.version(Map.of("v", value));
    }
}
