package org.anytls4j.anytls.padding;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.anytls4j.anytls.padding.Records.assertShape;
import static org.anytls4j.anytls.padding.Records.buffer;
import static org.anytls4j.anytls.padding.Records.bytes;
import static org.anytls4j.anytls.padding.Records.data;
import static org.anytls4j.anytls.padding.Records.hex;
import static org.anytls4j.anytls.padding.Records.padded;
import static org.anytls4j.anytls.padding.Records.pure;
import static org.anytls4j.anytls.padding.Records.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketShaperTest {
    /** Spec §17.9: Settings + SYN(1) + PSH(example.com:443), the 105-byte first session write. */
    private static final byte[] FIRST_WRITE = hex("04000000000045763d320a636c69656e743d616e79746c732f302e302e3133"
            + "0a70616464696e672d6d64353d3735636666326164383961616466356532353730353965653537316562653131"
            + "010000000100000200000001000f030b6578616d706c652e636f6d01bb");

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final ScriptedRandom random = new ScriptedRandom();

    // ---- §9.5 worked examples, default scheme ----

    @Test
    void packet1DrawOf200PadsTheFirstWriteWithAn88ByteWaste() {
        assertThat(FIRST_WRITE).hasSize(105);
        PacketShaper shaper = defaultShaper();
        random.expect(100, 400, 200);

        List<ByteBuf> records = shaper.shape(ALLOC, buffer(FIRST_WRITE));

        assertThat(records).hasSize(1);
        byte[] expected = new byte[200];
        System.arraycopy(FIRST_WRITE, 0, expected, 0, 105);
        System.arraycopy(hex("00000000000058"), 0, expected, 105, 7);
        assertThat(bytes(records.get(0))).isEqualTo(expected);
        assertShape(records, FIRST_WRITE, padded(105, 200));
        assertThat(shaper.packetCounter()).isEqualTo(1);
        random.assertExhausted();
    }

    @Test
    void packet1DrawOf110LeavesNoRoomForWaste() {
        PacketShaper shaper = defaultShaper();
        random.expect(100, 400, 110);

        assertShape(shaper.shape(ALLOC, buffer(FIRST_WRITE)), FIRST_WRITE, data(105));
        random.assertExhausted();
    }

    @Test
    void packet1DrawOf100SplitsAndSendsTheRestUnshaped() {
        PacketShaper shaper = defaultShaper();
        random.expect(100, 400, 100);

        assertShape(shaper.shape(ALLOC, buffer(FIRST_WRITE)), FIRST_WRITE, data(100), data(5));
        random.assertExhausted();
    }

    @Test
    void packet2StopsAtTheCheckMarkOnceTheWriteIsUsedUp() {
        PacketShaper shaper = defaultShaperAt(2);
        // The Go client resolves every item of the rule before cutting, so all five ranges are drawn.
        random.expect(400, 500, 450).expect(500, 1000, 700)
                .expect(500, 1000, 501).expect(500, 1000, 502).expect(500, 1000, 503);
        byte[] clientHello = write(524);

        assertShape(shaper.shape(ALLOC, buffer(clientHello)), clientHello, data(450), padded(74, 700));
        random.assertExhausted();
    }

    @Test
    void packet2CutsALongWriteIntoFiveRecords() {
        PacketShaper shaper = defaultShaperAt(2);
        random.expect(400, 500, 450).expect(500, 1000, 700)
                .expect(500, 1000, 800).expect(500, 1000, 900).expect(500, 1000, 600);
        byte[] input = write(3000);

        assertShape(shaper.shape(ALLOC, buffer(input)), input,
                data(450), data(700), data(800), data(900), padded(150, 600));
        random.assertExhausted();
    }

    @Test
    void packet3NineByteWriteIsFollowedByAPurePaddingRecordOfSizePlus7() {
        PacketShaper shaper = defaultShaperAt(3);
        random.expect(500, 1000, 600);
        byte[] input = write(9);

        List<ByteBuf> records = shaper.shape(ALLOC, buffer(input));

        assertThat(Records.sizes(records)).containsExactly(9, 607);
        assertShape(records, input, data(9), pure(600));
        random.assertExhausted();
    }

    @Test
    void packet3FiftyByteWriteIsCutAfterNineBytes() {
        PacketShaper shaper = defaultShaperAt(3);
        random.expect(500, 1000, 600);
        byte[] input = write(50);

        assertShape(shaper.shape(ALLOC, buffer(input)), input, data(9), padded(41, 600));
        random.assertExhausted();
    }

    @Test
    void packets4To7PadShortWritesUpAndSplitLongOnes() {
        PacketShaper shaper = defaultShaperAt(4);
        byte[] short4 = write(300);
        byte[] long5 = write(1200);
        byte[] withinSeven6 = write(495);
        byte[] oneByteWaste7 = write(492);
        random.expect(500, 1000, 800).expect(500, 1000, 700).expect(500, 1000, 500).expect(500, 1000, 500);

        assertShape(shaper.shape(ALLOC, buffer(short4)), short4, padded(300, 800));
        assertShape(shaper.shape(ALLOC, buffer(long5)), long5, data(700), data(500));
        assertShape(shaper.shape(ALLOC, buffer(withinSeven6)), withinSeven6, data(495));
        assertShape(shaper.shape(ALLOC, buffer(oneByteWaste7)), oneByteWaste7, padded(492, 500));
        assertThat(shaper.packetCounter()).isEqualTo(7);
        assertThat(shaper.shaping()).isTrue();
        random.assertExhausted();
    }

    @Test
    void packet8AndLaterPassThroughUnchanged() {
        PacketShaper shaper = defaultShaperAt(8);
        ByteBuf eighth = buffer(write(600));
        ByteBuf ninth = buffer(write(3));

        List<ByteBuf> records8 = shaper.shape(ALLOC, eighth);
        List<ByteBuf> records9 = shaper.shape(ALLOC, ninth);

        try {
            assertThat(records8).singleElement().isSameAs(eighth);
            assertThat(records9).singleElement().isSameAs(ninth);
            assertThat(eighth.readableBytes()).isEqualTo(600);
            assertThat(shaper.shaping()).isFalse();
            assertThat(shaper.packetCounter()).isEqualTo(8);
        } finally {
            eighth.release();
            ninth.release();
        }
        random.assertExhausted();
    }

    // ---- the rules one by one, with custom schemes ----

    @Test
    void checkMarkStopsOnlyWhenNothingIsLeft() {
        byte[] ten = write(10);
        byte[] fifteen = write(15);

        assertShape(shaper("stop=2\n1=10-10,c,20-20").shape(ALLOC, buffer(ten)), ten, data(10));
        assertShape(shaper("stop=2\n1=10-10,20-20").shape(ALLOC, buffer(ten)), ten, data(10), pure(20));
        assertShape(shaper("stop=2\n1=10-10,c,20-20").shape(ALLOC, buffer(fifteen)), fifteen,
                data(10), padded(5, 20));
    }

    @Test
    void anEmptyWriteBecomesPurePaddingOfSizePlus7UnlessACheckMarkComesFirst() {
        List<ByteBuf> records = shaper("stop=2\n1=50-50").shape(ALLOC, ALLOC.buffer(0));
        assertThat(Records.sizes(records)).containsExactly(57);
        assertShape(records, new byte[0], pure(50));

        ByteBuf empty = ALLOC.buffer(0);
        assertThat(shaper("stop=2\n1=c,50-50").shape(ALLOC, empty)).isEmpty();
        assertThat(empty.refCnt()).isZero();
    }

    @Test
    void aRestWithinSevenBytesOfTheSizeGetsNoWaste() {
        String scheme = "stop=2\n1=20-20";
        for (int length = 13; length <= 20; length++) {
            byte[] input = write(length);
            assertShape(shaper(scheme).shape(ALLOC, buffer(input)), input, data(length));
        }
        byte[] twelve = write(12);
        assertShape(shaper(scheme).shape(ALLOC, buffer(twelve)), twelve, padded(12, 20));
        byte[] twentyOne = write(21);
        assertShape(shaper(scheme).shape(ALLOC, buffer(twentyOne)), twentyOne, data(20), data(1));
    }

    @Test
    void shapingEndsAtStopEvenIfTheSchemeHasARuleThere() {
        PacketShaper stopAtOne = shaper("stop=1\n1=100-100");
        ByteBuf first = buffer(write(30));
        assertThat(stopAtOne.shape(ALLOC, first)).singleElement().isSameAs(first);
        first.release();
        assertThat(stopAtOne.shaping()).isFalse();
        assertThat(stopAtOne.packetCounter()).isEqualTo(1);

        PacketShaper stopAtThree = shaper("stop=3\n1=40-40\n2=40-40\n3=40-40");
        byte[] input = write(30);
        assertShape(stopAtThree.shape(ALLOC, buffer(input)), input, padded(30, 40));
        assertShape(stopAtThree.shape(ALLOC, buffer(input)), input, padded(30, 40));
        ByteBuf third = buffer(input);
        assertThat(stopAtThree.shape(ALLOC, third)).singleElement().isSameAs(third);
        third.release();
        assertThat(stopAtThree.packetCounter()).isEqualTo(3);
    }

    @Test
    void packetsWithoutARuleGoOutUnshapedButStillCount() {
        PacketShaper shaper = shaper("stop=5\n1=100-100\n3=50-50");
        byte[] input = write(80);

        assertShape(shaper.shape(ALLOC, buffer(input)), input, padded(80, 100));
        assertShape(shaper.shape(ALLOC, buffer(input)), input, data(80));
        assertShape(shaper.shape(ALLOC, buffer(input)), input, data(50), data(30));
        assertShape(shaper.shape(ALLOC, buffer(input)), input, data(80));
        assertThat(shaper.packetCounter()).isEqualTo(4);
        assertThat(shaper.shaping()).isTrue();
        random.assertExhausted();
    }

    @Test
    void aReplacedSchemeAppliesFromTheNextWriteAndStopNeverReopens() {
        AtomicReference<PaddingScheme> current = new AtomicReference<>(PaddingScheme.DEFAULT);
        PacketShaper shaper = new PacketShaper(current::get, random);
        random.expect(100, 400, 300);

        assertShape(shaper.shape(ALLOC, buffer(FIRST_WRITE)), FIRST_WRITE, padded(105, 300));

        current.set(PaddingScheme.parse("stop=4\n2=200-200,c,400-400\n3=50-50"));
        byte[] get = write(288);
        assertShape(shaper.shape(ALLOC, buffer(get)), get, data(200), padded(88, 400));

        current.set(PaddingScheme.parse("stop=2\n3=50-50"));
        ByteBuf third = buffer(write(78));
        assertThat(shaper.shape(ALLOC, third)).singleElement().isSameAs(third);
        third.release();

        current.set(PaddingScheme.DEFAULT);
        ByteBuf fourth = buffer(write(78));
        assertThat(shaper.shape(ALLOC, fourth)).singleElement().isSameAs(fourth);
        fourth.release();
        assertThat(shaper.shaping()).isFalse();
        assertThat(shaper.packetCounter()).isEqualTo(3);
        random.assertExhausted();
    }

    @Test
    void sizesAbove65535UseSeveralWasteFramesAndKeepTheRecordSize() {
        PacketShaper shaper = new PacketShaper(
                () -> PaddingScheme.parseLenient("stop=3\n1=70000-70000\n2=70000-70000".getBytes(
                        StandardCharsets.US_ASCII)), random);
        byte[] input = write(10);

        List<ByteBuf> padded = shaper.shape(ALLOC, buffer(input));
        List<ByteBuf> pure = shaper.shape(ALLOC, ALLOC.buffer(0));

        try {
            assertThat(Records.sizes(padded)).containsExactly(70000);
            byte[] record = bytes(padded.get(0));
            assertThat(Arrays.copyOf(record, 10)).isEqualTo(input);
            assertThat(WasteFramesTest.wasteBodies(Arrays.copyOfRange(record, 10, record.length)))
                    .containsExactly(65535, 69990 - 65542 - 7);
            assertThat(Records.sizes(pure)).containsExactly(70000 + 14);
            assertThat(WasteFramesTest.wasteBodies(bytes(pure.get(0)))).containsExactly(65535, 70000 - 65535);
        } finally {
            padded.forEach(ByteBuf::release);
            pure.forEach(ByteBuf::release);
        }
    }

    @Test
    void recordsShareThePayloadOfTheWriteInsteadOfCopyingIt() {
        PacketShaper shaper = shaper("stop=2\n1=10-10,c,40-40");
        ByteBuf input = buffer(write(30));

        List<ByteBuf> records = shaper.shape(ALLOC, input);

        try {
            assertThat(input.refCnt()).as("held by the records only").isEqualTo(2);
            input.setByte(0, 0x7f);
            input.setByte(10, 0x7e);
            assertThat(records.get(0).getByte(0)).isEqualTo((byte) 0x7f);
            assertThat(records.get(1).getByte(0)).isEqualTo((byte) 0x7e);
        } finally {
            records.forEach(ByteBuf::release);
        }
        assertThat(input.refCnt()).isZero();
    }

    // ---- ownership of the write on failure ----

    @Test
    void theWriteIsReleasedWhenTheRandomSourceFails() {
        PacketShaper shaper = defaultShaper();
        ByteBuf input = buffer(FIRST_WRITE);

        assertThatThrownBy(() -> shaper.shape(ALLOC, input)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("unexpected draw in [100, 400)");
        assertThat(input.refCnt()).isZero();
    }

    @Test
    void theWriteIsReleasedWhenThereIsNoScheme() {
        PacketShaper shaper = new PacketShaper(() -> null, random);
        ByteBuf input = buffer(FIRST_WRITE);

        assertThatThrownBy(() -> shaper.shape(ALLOC, input)).isInstanceOf(NullPointerException.class)
                .hasMessage("currentScheme supplied null");
        assertThat(input.refCnt()).isZero();
        assertThat(shaper.packetCounter()).isZero();
    }

    @Test
    void recordsAlreadyCutAreReleasedWhenAnAllocationFails() {
        // Composite buffers are made without these hooks, so only the Waste allocation fails.
        ByteBufAllocator refusing = new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                throw new IllegalStateException("allocation refused");
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                throw new IllegalStateException("allocation refused");
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        PacketShaper shaper = shaper("stop=2\n1=10-10,c,30-30");
        ByteBuf input = buffer(write(15));

        assertThatThrownBy(() -> shaper.shape(refusing, input)).hasMessage("allocation refused");
        assertThat(input.refCnt()).isZero();
    }

    private PacketShaper defaultShaper() {
        return new PacketShaper(() -> PaddingScheme.DEFAULT, random);
    }

    private PacketShaper shaper(String scheme) {
        PaddingScheme parsed = PaddingScheme.parse(scheme);
        return new PacketShaper(() -> parsed, random);
    }

    /** A default-scheme shaper whose next write is {@code packet}, reached through writes that fit their rules. */
    private PacketShaper defaultShaperAt(int packet) {
        PacketShaper shaper = defaultShaper();
        for (int done = 1; done < packet; done++) {
            int length;
            if (done == 1) {
                random.expect(100, 400, 100);
                length = 100;
            } else if (done == 2) {
                random.expect(400, 500, 400);
                for (int i = 0; i < 4; i++) {
                    random.expect(500, 1000, 500);
                }
                length = 400;
            } else {
                random.expect(500, 1000, 500);
                length = done == 3 ? 9 : 500;
            }
            shaper.shape(ALLOC, buffer(write(length))).forEach(ByteBuf::release);
        }
        random.assertExhausted();
        assertThat(shaper.packetCounter()).isEqualTo(Math.min(packet - 1, 8));
        return shaper;
    }
}
