package org.anytls4j.anytls.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void commandNames() {
        assertThat(Command.name(Command.WASTE)).isEqualTo("Waste");
        assertThat(Command.name(Command.SYNACK)).isEqualTo("SYNACK");
        assertThat(Command.name(Command.SERVER_SETTINGS)).isEqualTo("ServerSettings");
        assertThat(Command.name(11)).isEqualTo("cmd 11");
        assertThat(Command.name(127)).isEqualTo("cmd 127");
        assertThat(Command.isKnown(Command.SERVER_SETTINGS)).isTrue();
        assertThat(Command.isKnown(11)).isFalse();
        assertThat(Command.isKnown(-1)).isFalse();
    }

    @Test
    void toStringNamesCommandStreamAndLengthButNeverTheData() {
        Frame frame = new Frame(Command.PSH, 1, Bytes.ascii("secret!"));
        try {
            assertThat(frame).hasToString("PSH sid=1 len=7");
        } finally {
            frame.release();
        }
        Frame unknown = new Frame(127, 0, Bytes.ascii("ABC"));
        assertThat(unknown).hasToString("cmd 127 sid=0 len=3");
        unknown.release();
    }

    @Test
    void derivedFramesKeepCommandAndStream() {
        Frame frame = new Frame(Command.SYNACK, 5, Bytes.ascii("no"));
        Frame copy = frame.copy();
        Frame duplicate = frame.retainedDuplicate();
        Frame replaced = frame.replace(Bytes.ascii("other"));
        try {
            assertThat(copy).isEqualTo(frame).isNotSameAs(frame);
            assertThat(duplicate).isEqualTo(frame);
            assertThat(replaced.command()).isEqualTo(Command.SYNACK);
            assertThat(replaced.streamId()).isEqualTo(5);
            assertThat(replaced.length()).isEqualTo(5);
            assertThat(frame.retain()).isSameAs(frame);
            assertThat(frame.refCnt()).isEqualTo(3);
            assertThat(frame.touch("hint")).isSameAs(frame);
            assertThat(frame).isNotEqualTo(new Frame(Command.SYNACK, 6, Unpooled.EMPTY_BUFFER));
        } finally {
            copy.release();
            duplicate.release();
            replaced.release();
            frame.release(2);
        }
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void rejectsACommandOutsideOneByteAndReleasesTheData() {
        ByteBuf data = Bytes.ascii("x");
        assertThatIllegalArgumentException().isThrownBy(() -> new Frame(256, 0, data))
            .withMessageContaining("command 256");
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void rejectsABodyLargerThanAFrameAndReleasesIt() {
        ByteBuf data = Unpooled.buffer(65536).writeZero(65536);
        assertThatIllegalArgumentException().isThrownBy(() -> new Frame(Command.PSH, 1, data))
            .withMessageContaining("65536");
        assertThat(data.refCnt()).isZero();
    }
}
