package org.anytls4j.anytls.padding;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.anytls4j.anytls.padding.PaddingScheme.CHECK_MARK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaddingSchemeTest {
    private static final String DEFAULT_TEXT = "stop=8\n0=30-30\n1=100-400\n"
            + "2=400-500,c,500-1000,c,500-1000,c,500-1000,c,500-1000\n3=9-9,500-1000\n"
            + "4=500-1000\n5=500-1000\n6=500-1000\n7=500-1000";

    @Test
    void defaultSchemeIsTheExact137BytesOfTheSpecWithItsMd5() {
        assertThat(PaddingScheme.DEFAULT.raw()).isEqualTo(DEFAULT_TEXT.getBytes(StandardCharsets.US_ASCII));
        assertThat(PaddingScheme.DEFAULT.raw()).hasSize(137);
        assertThat(PaddingScheme.DEFAULT.md5Hex()).isEqualTo("75cff2ad89aadf5e257059ee571ebe11");
        assertThat(PaddingScheme.DEFAULT.stop()).isEqualTo(8);
    }

    @Test
    void md5CoversTheRawBytesSoATrailingNewlineChangesIt() {
        PaddingScheme withNewline = PaddingScheme.parse(DEFAULT_TEXT + "\n");

        assertThat(withNewline.md5Hex()).isEqualTo("305fc37916c150b282ecb61e9ee141d7");
        assertThat(withNewline).isNotEqualTo(PaddingScheme.DEFAULT);
        assertThat(withNewline.rule(2)).isEqualTo(PaddingScheme.DEFAULT.rule(2));
    }

    @Test
    void md5OfTheFaqSchemeAndTheHistoricDefault() {
        assertThat(PaddingScheme.parse("stop=3\n0=900-1400\n1=900-1400\n2=900-1400").md5Hex())
                .isEqualTo("276925c451e8c13324f56e3846870cca");
        assertThat(PaddingScheme.parse("stop=8\n0=34-120\n1=100-400\n"
                + "2=400-500,c,500-1000,c,400-500,c,500-1000,c,500-1000,c,400-500\n"
                + "3=500-1000\n4=500-1000\n5=500-1000\n6=500-1000\n7=500-1000").md5Hex())
                .isEqualTo("02492a42f272ec67da83a511666102e6");
    }

    @Test
    void rulesOfTheDefaultSchemeKeepTheirItemsInOrder() {
        assertThat(PaddingScheme.DEFAULT.rule(2)).extracting(SizeItem::toString)
                .containsExactly("400-500", "c", "500-1000", "c", "500-1000", "c", "500-1000", "c", "500-1000");
        assertThat(PaddingScheme.DEFAULT.rule(3))
                .containsExactly(SizeItem.range(9, 9), SizeItem.range(500, 1000));
        assertThat(PaddingScheme.DEFAULT.rule(8)).isEmpty();
    }

    /** Spec §17.19. */
    @Test
    void generationChecksOfTheDefaultScheme() {
        ScriptedRandom random = new ScriptedRandom()
                .expect(100, 400, 399)
                .expect(400, 500, 400).expect(500, 1000, 501).expect(500, 1000, 502)
                .expect(500, 1000, 503).expect(500, 1000, 999)
                .expect(500, 1000, 777);

        assertThat(PaddingScheme.DEFAULT.sizes(0, random)).containsExactly(30);
        assertThat(PaddingScheme.DEFAULT.sizes(1, random)).containsExactly(399);
        assertThat(PaddingScheme.DEFAULT.sizes(2, random))
                .containsExactly(400, CHECK_MARK, 501, CHECK_MARK, 502, CHECK_MARK, 503, CHECK_MARK, 999);
        assertThat(PaddingScheme.DEFAULT.sizes(3, random)).containsExactly(9, 777);
        assertThat(PaddingScheme.DEFAULT.sizes(8, random)).isEmpty();
        assertThat(PaddingScheme.parse("stop=8\n4=10-20\n6=10-20").sizes(5, random)).isEmpty();
        random.assertExhausted();
    }

    @Test
    void fixedSizeItemsNeverDraw() {
        PaddingScheme scheme = PaddingScheme.parse("stop=4\n1=300-300\n2=200-200,c,400-400\n3=50-50");

        assertThat(scheme.sizes(2, new ScriptedRandom())).containsExactly(200, CHECK_MARK, 400);
    }

    @Test
    void aRandomAnswerOutsideTheRangeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> PaddingScheme.DEFAULT.sizes(-1, (o, b) -> o))
                .withMessage("packet index must be >= 0, was -1");
        assertThatIllegalStateException()
                .isThrownBy(() -> PaddingScheme.DEFAULT.sizes(1, (origin, bound) -> bound))
                .withMessage("padding random returned 400 outside the requested range [100, 400)");
    }

    @Test
    void authPaddingLengthIsTheFirstItemOfKeyZero() {
        assertThat(PaddingScheme.DEFAULT.authPaddingLength(new ScriptedRandom())).isEqualTo(30);

        ScriptedRandom random = new ScriptedRandom().expect(900, 1400, 1000);
        assertThat(PaddingScheme.parse("stop=3\n0=900-1400,5-6,c").authPaddingLength(random)).isEqualTo(1000);
        random.assertExhausted();
    }

    @Test
    void authPaddingLengthIsZeroWithoutKeyZeroOrWhenItStartsWithACheckMark() {
        assertThat(PaddingScheme.parse("stop=3\n1=100-100").authPaddingLength(new ScriptedRandom())).isZero();
        PaddingScheme checkMarkFirst = PaddingScheme.parseLenient(bytes("stop=3\n0=c,100-100"));
        assertThat(checkMarkFirst.authPaddingLength(new ScriptedRandom())).isZero();
    }

    @Test
    void authPaddingLengthIsCappedToWhatItsU16FieldCanCarry() {
        PaddingScheme huge = PaddingScheme.parseLenient(bytes("stop=3\n0=70000-70000"));

        assertThat(huge.authPaddingLength(new ScriptedRandom())).isEqualTo(65535);
    }

    @Test
    void rawIsACopy() {
        byte[] raw = bytes("stop=2\n1=10-10");
        PaddingScheme scheme = PaddingScheme.parse(raw);
        raw[5] = '3';
        scheme.raw()[5] = '4';

        assertThat(scheme.raw()).isEqualTo(bytes("stop=2\n1=10-10"));
        assertThat(scheme.stop()).isEqualTo(2);
    }

    @Test
    void equalityIsOverTheRawBytes() {
        PaddingScheme scheme = PaddingScheme.parse("stop=2\n1=10-10");

        assertThat(scheme).isEqualTo(PaddingScheme.parseLenient(bytes("stop=2\n1=10-10")))
                .hasSameHashCodeAs(PaddingScheme.parse("stop=2\n1=10-10"))
                .isNotEqualTo(PaddingScheme.parse("1=10-10\nstop=2"));
    }

    @Test
    void toStringShowsMd5AndStopOnly() {
        assertThat(PaddingScheme.DEFAULT)
                .hasToString("PaddingScheme[md5=75cff2ad89aadf5e257059ee571ebe11, stop=8]");
    }

    @Test
    void sizeListsAreImmutable() {
        List<Integer> sizes = PaddingScheme.DEFAULT.sizes(0, new ScriptedRandom());
        List<SizeItem> rule = PaddingScheme.DEFAULT.rule(0);

        assertThatThrownBy(() -> sizes.add(1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rule.clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
