package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: building writes and checking the records a {@link PacketShaper} produced. */
final class Records {
    private Records() {
    }

    /** The expected shape of one record: {@code payload} bytes of the write, then a Waste body (or none). */
    record Expected(int payload, int wasteBody) {
        int size() {
            return payload + (wasteBody < 0 ? 0 : WasteFrames.HEADER_LENGTH + wasteBody);
        }
    }

    /** A record holding only payload. */
    static Expected data(int payload) {
        return new Expected(payload, -1);
    }

    /** A record of {@code payload} bytes padded with one Waste frame up to exactly {@code size} bytes. */
    static Expected padded(int payload, int size) {
        return new Expected(payload, size - payload - WasteFrames.HEADER_LENGTH);
    }

    /** A record made only of one Waste frame with a body of {@code body} bytes. */
    static Expected pure(int body) {
        return new Expected(0, body);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** {@code length} bytes that look like frames: a PSH header for stream 1, then a counting pattern. */
    static byte[] write(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 251 + 1);
        }
        if (length >= 7) {
            bytes[0] = 2;
            bytes[1] = 0;
            bytes[2] = 0;
            bytes[3] = 0;
            bytes[4] = 1;
            bytes[5] = (byte) ((length - 7) >>> 8);
            bytes[6] = (byte) (length - 7);
        }
        return bytes;
    }

    static ByteBuf buffer(byte[] bytes) {
        return Unpooled.copiedBuffer(bytes);
    }

    static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    static List<Integer> sizes(List<ByteBuf> records) {
        return records.stream().map(ByteBuf::readableBytes).toList();
    }

    /**
     * Asserts that {@code records} carry {@code input} in order, cut and padded as {@code expected}, with
     * well-formed all-zero Waste frames; then releases the records.
     */
    static void assertShape(List<ByteBuf> records, byte[] input, Expected... expected) {
        try {
            assertThat(sizes(records)).as("record sizes")
                    .containsExactlyElementsOf(Arrays.stream(expected).map(Expected::size).toList());
            int offset = 0;
            for (int i = 0; i < expected.length; i++) {
                byte[] record = bytes(records.get(i));
                Expected shape = expected[i];
                assertThat(Arrays.copyOfRange(record, 0, shape.payload()))
                        .as("payload of record %d", i)
                        .isEqualTo(Arrays.copyOfRange(input, offset, offset + shape.payload()));
                offset += shape.payload();
                if (shape.wasteBody() >= 0) {
                    assertWaste(Arrays.copyOfRange(record, shape.payload(), record.length), shape.wasteBody(), i);
                }
            }
            assertThat(offset).as("payload bytes carried").isEqualTo(input.length);
        } finally {
            records.forEach(ByteBuf::release);
        }
    }

    /** Asserts that {@code bytes} are exactly one Waste frame (cmd 0, sid 0) with a zero body of {@code body}. */
    static void assertWaste(byte[] bytes, int body, int recordIndex) {
        byte[] expected = new byte[WasteFrames.HEADER_LENGTH + body];
        expected[5] = (byte) (body >>> 8);
        expected[6] = (byte) body;
        assertThat(bytes).as("Waste frame of record %d", recordIndex).isEqualTo(expected);
    }
}
