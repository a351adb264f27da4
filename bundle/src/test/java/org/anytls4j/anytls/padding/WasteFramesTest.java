package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WasteFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 100, 65541, 65542, 65543, 65548, 65549, 65550, 131084, 131085, 200000})
    void fillingTakesExactlyTheRequestedBytesInWellFormedFrames(int total) {
        ByteBuf waste = WasteFrames.filling(ByteBufAllocator.DEFAULT, total);
        try {
            byte[] bytes = Records.bytes(waste);
            assertThat(bytes).hasSize(total);
            List<Integer> bodies = wasteBodies(bytes);
            assertThat(bodies).allSatisfy(body -> assertThat(body).isBetween(0, 65535));
            assertThat(bodies.stream().mapToInt(body -> body + 7).sum()).isEqualTo(total);
        } finally {
            waste.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 600, 65535, 65536, 131070, 131071})
    void bodiesAddUpToTheRequestedLengthWithFullFramesFirst(int body) {
        ByteBuf waste = WasteFrames.withBody(ByteBufAllocator.DEFAULT, body);
        try {
            List<Integer> bodies = wasteBodies(Records.bytes(waste));
            int frames = (body + 65534) / 65535;
            assertThat(bodies).hasSize(frames);
            assertThat(bodies.subList(0, frames - 1)).allSatisfy(b -> assertThat(b).isEqualTo(65535));
            assertThat(bodies.stream().mapToInt(Integer::intValue).sum()).isEqualTo(body);
            assertThat(waste.readableBytes()).isEqualTo(body + 7 * frames);
        } finally {
            waste.release();
        }
    }

    /** Parses {@code bytes} as consecutive Waste frames (cmd 0, sid 0, zero body) and returns their body lengths. */
    static List<Integer> wasteBodies(byte[] bytes) {
        List<Integer> bodies = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            assertThat(bytes.length - offset).as("room for a frame header at %d", offset).isGreaterThanOrEqualTo(7);
            for (int i = 0; i < 5; i++) {
                assertThat(bytes[offset + i]).as("cmd/stream id byte %d of frame at %d", i, offset).isZero();
            }
            int body = ((bytes[offset + 5] & 0xff) << 8) | (bytes[offset + 6] & 0xff);
            offset += 7;
            assertThat(offset + body).as("frame body within bounds").isLessThanOrEqualTo(bytes.length);
            for (int i = 0; i < body; i++) {
                if (bytes[offset + i] != 0) {
                    throw new AssertionError("non-zero Waste byte at " + (offset + i));
                }
            }
            offset += body;
            bodies.add(body);
        }
        return bodies;
    }
}
