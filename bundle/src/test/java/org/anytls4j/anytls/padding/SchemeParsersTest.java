package org.anytls4j.anytls.padding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each row is one scheme text: what the strict parser says about it, and what the lenient (Go client)
 * parser makes of the same bytes. A lenient result is written as {@code stop=N k=[items] ...}, or as
 * {@code rejected: <message>}.
 */
class SchemeParsersTest {

    static Stream<Arguments> schemes() {
        return Stream.of(
                arguments("", "padding scheme is empty",
                        "rejected: padding scheme has no key=value line"),
                arguments("stop=8\r\n1=100-200",
                        "padding scheme line 1: byte 0x0d is not allowed (lines must end with LF only)",
                        "rejected: padding scheme stop '8\r' is not an integer"),
                arguments("stop=8\n1=100-200\t",
                        "padding scheme line 2: byte 0x09 is not allowed (only printable ASCII is allowed)",
                        "stop=8"),
                arguments("stop=8\n1=100\u2013200",
                        "padding scheme line 2: byte 0xe2 is not allowed (only printable ASCII is allowed)",
                        "stop=8"),
                arguments("stop=8\nhello", "padding scheme line 2: 'hello' is not key=value",
                        "stop=8"),
                arguments("stop=8\n1=100-200\n1=300-400",
                        "padding scheme line 3: duplicate key '1' (first on line 2)",
                        "stop=8 1=[300-400]"),
                arguments("stop=8\nstop=9", "padding scheme line 2: duplicate key 'stop' (first on line 1)",
                        "stop=9"),
                arguments("1=100-200", "padding scheme has no 'stop' key",
                        "rejected: padding scheme has no 'stop' key"),
                arguments("\n\n", "padding scheme has no 'stop' key",
                        "rejected: padding scheme has no key=value line"),
                arguments("stop=0\n1=1-2", "padding scheme line 1: stop 0 is out of range 1..256",
                        "stop=0 1=[1-2]"),
                arguments("stop=257", "padding scheme line 1: stop 257 is out of range 1..256",
                        "stop=257"),
                arguments("stop=-1", "padding scheme line 1: stop '-1' is not a decimal number",
                        "stop=" + Integer.MAX_VALUE),
                arguments("stop=08", "padding scheme line 1: stop '08' is not a decimal number",
                        "stop=8"),
                arguments("stop= 8", "padding scheme line 1: stop ' 8' is not a decimal number",
                        "rejected: padding scheme stop ' 8' is not an integer"),
                arguments("stop=99999999999",
                        "padding scheme line 1: stop 99999999999 is out of range 1..256",
                        // Go casts to uint32: 99999999999 mod 2^32.
                        "stop=1215752191"),
                arguments("stop=99999999999999999999",
                        "padding scheme line 1: stop 99999999999999999999 is out of range 1..256",
                        "rejected: padding scheme stop '99999999999999999999' is not an integer"),
                arguments("stop=8\n01=100-200", "padding scheme line 2: key '01' is neither 'stop' nor a packet"
                        + " index 0..255 (decimal, no sign, no leading zero)", "stop=8"),
                arguments("stop=8\n+1=100-200", "padding scheme line 2: key '+1' is neither 'stop' nor a packet"
                        + " index 0..255 (decimal, no sign, no leading zero)", "stop=8"),
                arguments("stop=8\n256=1-2", "padding scheme line 2: key '256' is neither 'stop' nor a packet"
                        + " index 0..255 (decimal, no sign, no leading zero)", "stop=8 256=[1-2]"),
                arguments("stop=8\nfoo=bar", "padding scheme line 2: key 'foo' is neither 'stop' nor a packet"
                        + " index 0..255 (decimal, no sign, no leading zero)", "stop=8"),
                arguments("stop=8\n1=", "padding scheme line 2: key 1 item 1 '' is neither 'c' nor 'min-max'",
                        "stop=8"),
                arguments("stop=8\n1=100-200,,c",
                        "padding scheme line 2: key 1 item 2 '' is neither 'c' nor 'min-max'",
                        "stop=8 1=[100-200, c]"),
                arguments("stop=8\n1=100-200, c",
                        "padding scheme line 2: key 1 item 2 ' c' is neither 'c' nor 'min-max'",
                        "stop=8 1=[100-200]"),
                arguments("stop=8\n1=C", "padding scheme line 2: key 1 item 1 'C' is neither 'c' nor 'min-max'",
                        "stop=8"),
                arguments("stop=8\n1=5", "padding scheme line 2: key 1 item 1 '5' is neither 'c' nor 'min-max'",
                        "stop=8"),
                arguments("stop=8\n1=1-2-3",
                        "padding scheme line 2: key 1 item 1 '1-2-3' is neither 'c' nor 'min-max'", "stop=8"),
                arguments("stop=8\n1=-5-10",
                        "padding scheme line 2: key 1 item 1 '-5-10' is neither 'c' nor 'min-max'", "stop=8"),
                arguments("stop=8\n1=a-10",
                        "padding scheme line 2: key 1 item 1 'a-10': 'a' is not a decimal number", "stop=8"),
                arguments("stop=8\n1=100-200 ",
                        "padding scheme line 2: key 1 item 1 '100-200 ': '200 ' is not a decimal number",
                        "stop=8"),
                arguments("stop=8\n1=+100-+200",
                        "padding scheme line 2: key 1 item 1 '+100-+200': '+100' is not a decimal number",
                        "stop=8 1=[100-200]"),
                arguments("stop=8\n1=0-10",
                        "padding scheme line 2: key 1 item 1 '0-10': size 0 is out of range 1..65535", "stop=8"),
                arguments("stop=8\n1=10-65536",
                        "padding scheme line 2: key 1 item 1 '10-65536': size 65536 is out of range 1..65535",
                        "stop=8 1=[10-65536]"),
                arguments("stop=8\n1=10-2000000",
                        "padding scheme line 2: key 1 item 1 '10-2000000': size 2000000 is out of range 1..65535",
                        "stop=8"),
                arguments("stop=8\n1=500-400",
                        "padding scheme line 2: key 1 item 1 '500-400' has min 500 > max 400",
                        "stop=8 1=[400-500]"),
                arguments("stop=8\n1=" + items(17),
                        "padding scheme line 2: key 1 has 17 items, at most 16 are allowed",
                        "stop=8 1=[" + IntStream.rangeClosed(1, 17).mapToObj(i -> i + "-" + i)
                                .collect(Collectors.joining(", ")) + "]"),
                arguments("stop=8\n1=65535-65535,65535-65535,1-3",
                        "padding scheme line 2: key 1 sizes add up to 131073 bytes, more than the 131072 allowed",
                        "stop=8 1=[65535-65535, 65535-65535, 1-3]"),
                arguments("stop=8\n0=c,30-30",
                        "padding scheme line 2: key 0 starts with 'c', but its first item is the auth padding length",
                        "stop=8 0=[c, 30-30]"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("schemes")
    void strictParserRejectsWithAMessageNamingTheBadLineAndValue(String text, String strictMessage, String lenient) {
        assertThatThrownBy(() -> PaddingScheme.parse(text))
                .isInstanceOf(InvalidPaddingSchemeException.class)
                .hasMessage(strictMessage);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("schemes")
    void lenientParserReadsTheSameBytesLikeTheGoClient(String text, String strictMessage, String lenient) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        if (lenient.startsWith("rejected: ")) {
            assertThatThrownBy(() -> PaddingScheme.parseLenient(raw))
                    .isInstanceOf(InvalidPaddingSchemeException.class)
                    .hasMessage(lenient.substring("rejected: ".length()));
        } else {
            PaddingScheme scheme = PaddingScheme.parseLenient(raw);
            assertThat(describe(scheme)).isEqualTo(lenient);
            assertThat(scheme.raw()).isEqualTo(raw);
        }
    }

    @Test
    void strictParserAcceptsTheLimitsThemselves() {
        PaddingScheme scheme = PaddingScheme.parse("stop=256\n0=1-1\n255=" + items(16)
                + "\n1=65535-65535,65535-65535,1-2\n\n");

        assertThat(scheme.stop()).isEqualTo(256);
        assertThat(scheme.rule(255)).hasSize(16);
        assertThat(scheme.rule(1)).hasSize(3);
    }

    @Test
    void strictParserLimitsTheSchemeTo8192Bytes() {
        String atLimit = "stop=8" + "\n".repeat(8192 - 6);

        assertThat(PaddingScheme.parse(atLimit).stop()).isEqualTo(8);
        assertThatThrownBy(() -> PaddingScheme.parse(atLimit + "\n"))
                .isInstanceOf(InvalidPaddingSchemeException.class)
                .hasMessage("padding scheme is 8193 bytes, more than the 8192 allowed");
    }

    @Test
    void strictParserLimitsAllRulesTogetherTo1MiB() {
        StringJoiner text = new StringJoiner("\n").add("stop=9");
        for (int key = 0; key < 9; key++) {
            text.add(key + "=65535-65535,65535-65535");
        }

        assertThatThrownBy(() -> PaddingScheme.parse(text.toString()))
                .isInstanceOf(InvalidPaddingSchemeException.class)
                .hasMessage("padding scheme sizes add up to 1179630 bytes, more than the 1048576 allowed");
    }

    @Test
    void strictParserAcceptsTheDefaultAndTheGoldenCustomScheme() {
        PaddingScheme custom = PaddingScheme.parse("stop=4\n0=100-100\n1=300-300\n2=200-200,c,400-400\n3=50-50");

        assertThat(custom.md5Hex()).isEqualTo("700964b12b4f5e2eaea14f5bd3f36e09");
        assertThat(describe(custom)).isEqualTo("stop=4 0=[100-100] 1=[300-300] 2=[200-200, c, 400-400] 3=[50-50]");
        assertThat(describe(PaddingScheme.parseLenient(PaddingScheme.DEFAULT.raw())))
                .isEqualTo(describe(PaddingScheme.DEFAULT));
    }

    private static String items(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> i + "-" + i).collect(Collectors.joining(","));
    }

    private static String describe(PaddingScheme scheme) {
        Map<Integer, String> rules = new TreeMap<>();
        for (int packet = 0; packet <= 300; packet++) {
            if (!scheme.rule(packet).isEmpty()) {
                rules.put(packet, scheme.rule(packet).toString());
            }
        }
        StringJoiner out = new StringJoiner(" ").add("stop=" + scheme.stop());
        rules.forEach((packet, items) -> out.add(packet + "=" + items));
        return out.toString();
    }
}
