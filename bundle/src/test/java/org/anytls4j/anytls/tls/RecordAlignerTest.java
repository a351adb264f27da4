package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordAlignerTest {
    private static final int RECORD = 10;

    private final RecordAligner aligner = new RecordAligner(RECORD);
    private final List<ByteBuf> records = new ArrayList<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int next;

    @AfterEach
    void releaseRecords() {
        aligner.release();
        records.forEach(ByteBuf::release);
    }

    /** A buffer of {@code length} consecutive byte values, continuing where the previous one stopped. */
    private ByteBuf bytes(int length) {
        ByteBuf buf = Unpooled.buffer(length);
        for (int i = 0; i < length; i++) {
            buf.writeByte(next);
            written.write(next);
            next++;
        }
        return buf;
    }

    private List<Integer> sizes() {
        return records.stream().map(ByteBuf::readableBytes).toList();
    }

    private byte[] concatenated() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(record -> out.writeBytes(ByteBufUtil.getBytes(record)));
        return out.toByteArray();
    }

    @Test
    void writesAreCutIntoWholeRecordsAndTheRestWaitsForTheDrain() {
        aligner.add(ByteBufAllocator.DEFAULT, bytes(4), records::add);
        assertThat(records).isEmpty();
        assertThat(aligner.pendingBytes()).isEqualTo(4);

        aligner.add(ByteBufAllocator.DEFAULT, bytes(13), records::add);
        assertThat(sizes()).containsExactly(10);
        assertThat(aligner.pendingBytes()).isEqualTo(7);

        aligner.add(ByteBufAllocator.DEFAULT, bytes(3), records::add);
        aligner.add(ByteBufAllocator.DEFAULT, bytes(25), records::add);
        assertThat(sizes()).containsExactly(10, 10, 10, 10);
        assertThat(aligner.pendingBytes()).isEqualTo(5);

        aligner.drain(records::add);
        assertThat(sizes()).containsExactly(10, 10, 10, 10, 5);
        assertThat(aligner.pendingBytes()).isZero();
        assertThat(concatenated()).isEqualTo(written.toByteArray());
    }

    @Test
    void aWriteOfExactlyOneRecordPassesAtOnceAndNothingIsHeld() {
        aligner.add(ByteBufAllocator.DEFAULT, bytes(RECORD), records::add);
        aligner.drain(records::add);
        assertThat(sizes()).containsExactly(RECORD);
        assertThat(concatenated()).isEqualTo(written.toByteArray());
    }

    @Test
    void emptyWritesAreReleasedAndHoldNothing() {
        ByteBuf empty = Unpooled.buffer(4);
        aligner.add(ByteBufAllocator.DEFAULT, empty, records::add);
        aligner.drain(records::add);
        assertThat(empty.refCnt()).isZero();
        assertThat(records).isEmpty();
    }

    @Test
    void theWriterKeepsNoReferenceAndReleaseDropsWhatIsHeld() {
        ByteBuf data = bytes(RECORD + 3);
        aligner.add(ByteBufAllocator.DEFAULT, data, records::add);
        records.forEach(ByteBuf::release);
        records.clear();
        assertThat(data.refCnt()).as("only the held 3 bytes keep the buffer").isEqualTo(1);
        aligner.release();
        assertThat(data.refCnt()).isZero();
        assertThat(aligner.pendingBytes()).isZero();
    }

    @Test
    void aRecordSizeMustBePositive() {
        assertThatThrownBy(() -> new RecordAligner(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recordSize")
                .hasMessageContaining("0");
    }
}
