package org.anytls4j.anytls.wire;

import static org.anytls4j.anytls.wire.Bytes.ALLOC;
import static org.anytls4j.anytls.wire.Bytes.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FramesTest {

    @ParameterizedTest(name = "{0} payload bytes -> {1} frames")
    @CsvSource({"1, 1", "65535, 1", "65536, 2", "131070, 2", "131071, 3", "2097152, 33"})
    void pshSplitsPayloadsIntoFramesOfAtMost65535Bytes(int payloadLength, int frames) {
        byte[] payload = new byte[payloadLength];
        new Random(payloadLength).nextBytes(payload);
        ByteBuf input = ALLOC.buffer(payloadLength).writeBytes(payload);

        ByteBuf wire = Frames.psh(ALLOC, 9, input);
        assertThat(wire.readableBytes()).isEqualTo(payloadLength + frames * FrameHeader.SIZE);

        List<Integer> lengths = new ArrayList<>();
        ByteBuf reassembled = ALLOC.buffer(payloadLength);
        try {
            for (Frame frame; (frame = FrameDecoder.tryDecode(wire)) != null; ) {
                assertThat(frame.command()).isEqualTo(Command.PSH);
                assertThat(frame.streamId()).isEqualTo(9);
                lengths.add(frame.length());
                reassembled.writeBytes(frame.data());
                frame.release();
            }
            assertThat(wire.isReadable()).isFalse();
            assertThat(lengths).hasSize(frames);
            assertThat(lengths).allMatch(length -> length <= FrameHeader.MAX_LENGTH);
            int shortest = lengths.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int longest = lengths.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(longest - shortest).as("frames of even size: no lone short frame at the end").isLessThanOrEqualTo(1);
            assertThat(ByteBufUtil.getBytes(reassembled)).isEqualTo(payload);
        } finally {
            reassembled.release();
            wire.release();
        }
        assertThat(input.refCnt()).as("payload released with the frames").isZero();
    }

    @Test
    void pshDoesNotCopyThePayload() {
        ByteBuf input = ALLOC.buffer(100).writeZero(100);
        ByteBuf wire = Frames.psh(ALLOC, 1, input);
        try {
            assertThat(input.refCnt()).as("held by the frame, not copied").isEqualTo(1);
            input.setByte(input.readerIndex(), 0x55);
            assertThat(wire.getByte(FrameHeader.SIZE)).isEqualTo((byte) 0x55);
        } finally {
            wire.release();
        }
        assertThat(input.refCnt()).isZero();
    }

    @Test
    void pshSendsOnlyTheReadableBytes() {
        ByteBuf input = ALLOC.buffer().writeBytes(new byte[] {1, 2, 3, 4});
        input.skipBytes(1);
        assertThat(hexAndRelease(Frames.psh(ALLOC, 2, input))).isEqualTo("0200000002000302" + "0304");
        assertThat(input.refCnt()).isZero();
    }

    @Test
    void emptyPshIsNoFrameAtAll() {
        ByteBuf input = ALLOC.buffer(8);
        ByteBuf wire = Frames.psh(ALLOC, 1, input);
        assertThat(wire.readableBytes()).isZero();
        wire.release();
        assertThat(input.refCnt()).isZero();
    }

    @Test
    void controlFrameBodiesAreLimitedTo65535Bytes() {
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.ALERT, 0, new byte[65535]))).hasSize(2 * (7 + 65535));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Frames.control(ALLOC, Command.ALERT, 0, new byte[65536]))
            .withMessageContaining("Alert body of 65536 bytes");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Frames.text(ALLOC, Command.UPDATE_PADDING_SCHEME, 0, "é".repeat(32768)))
            .withMessageContaining("UpdatePaddingScheme body of 65536 bytes");
    }

    @Test
    void textIsUtf8() {
        assertThat(hexAndRelease(Frames.text(ALLOC, Command.ALERT, 0, "é"))).isEqualTo("05000000000002c3a9");
    }

    @Test
    void commandMustFitOneByte() {
        assertThatIllegalArgumentException().isThrownBy(() -> Frames.control(ALLOC, 256, 0))
            .withMessageContaining("command 256");
        assertThatIllegalArgumentException().isThrownBy(() -> Frames.text(ALLOC, -1, 0, "x"))
            .withMessageContaining("command -1");
    }

    @Test
    void wasteLengths() {
        assertThat(hexAndRelease(Frames.waste(ALLOC, 0))).isEqualTo("00000000000000");
        ByteBuf max = Frames.waste(ALLOC, 65535);
        assertThat(max.readableBytes()).isEqualTo(7 + 65535);
        assertThat(max.getUnsignedShort(5)).isEqualTo(65535);
        max.release();
        assertThatIllegalArgumentException().isThrownBy(() -> Frames.waste(ALLOC, 65536))
            .withMessageContaining("65536");
        assertThatIllegalArgumentException().isThrownBy(() -> Frames.waste(ALLOC, -1))
            .withMessageContaining("-1");
    }

    @Test
    void writeWasteAppends() {
        ByteBuf out = ALLOC.buffer().writeByte(0xAA);
        Frames.writeWaste(out, 2);
        assertThat(hexAndRelease(out)).isEqualTo("aa" + "000000000000020000");
    }

    @Test
    void headerValidatesLength() {
        ByteBuf out = ALLOC.buffer();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> FrameHeader.write(out, Command.PSH, 1, 65536))
                .withMessageContaining("frame length 65536");
            assertThatIllegalArgumentException().isThrownBy(() -> FrameHeader.write(out, Command.PSH, 1, -1))
                .withMessageContaining("frame length -1");
            assertThat(out.writerIndex()).as("nothing written").isZero();
            FrameHeader.write(out, Command.PSH, 0x01020304, 0x0506);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("02010203040506");
        } finally {
            out.release();
        }
    }
}
