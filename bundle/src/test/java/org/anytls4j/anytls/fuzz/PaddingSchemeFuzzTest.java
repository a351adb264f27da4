package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import org.anytls4j.anytls.padding.InvalidPaddingSchemeException;
import org.anytls4j.anytls.padding.PacketShaper;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.padding.SizeItem;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameDecoder;
import org.anytls4j.anytls.wire.FrameHeader;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Padding scheme text (spec §9.1): the strict parser (schemes we configure and push) and the lenient one (schemes
 * a server pushes to us, i.e. network input), and what the client does with a pushed scheme: shaping its writes.
 */
class PaddingSchemeFuzzTest {
    /** The padding one packet of a pushed scheme may ask for (LenientSchemeParser's per-packet budget). */
    private static final long MAX_PADDING_PER_PACKET = 1024 * 1024;

    private final TrackingAllocator alloc = new TrackingAllocator();

    /** Whatever the strict parser accepts is within its documented limits and reads the same leniently. */
    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void strictSchemesAreBoundedAndReadTheSameLeniently(byte[] raw) {
        PaddingScheme strict;
        try {
            strict = PaddingScheme.parse(raw);
        } catch (InvalidPaddingSchemeException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(strict.raw()).isEqualTo(raw);
        assertThat(strict.stop()).isBetween(1, 256);
        long total = 0;
        for (int packet = 0; packet < 256; packet++) {
            List<SizeItem> items = strict.rule(packet);
            assertThat(items.size()).isLessThanOrEqualTo(16);
            long sum = 0;
            for (SizeItem item : items) {
                if (!item.isCheckMark()) {
                    assertThat(item.min()).isBetween(1, item.max());
                    assertThat(item.max()).isLessThanOrEqualTo(65535);
                    sum += item.max();
                }
            }
            assertThat(sum).isLessThanOrEqualTo(128 * 1024);
            total += sum;
        }
        assertThat(total).isLessThanOrEqualTo(1024 * 1024);
        assertThat(strict.authPaddingLength(PaddingRandom.secure())).isBetween(0, 65535);

        PaddingScheme lenient = PaddingScheme.parseLenient(raw);
        assertThat(lenient.stop()).isEqualTo(strict.stop());
        for (int packet = 0; packet < 256; packet++) {
            assertThat(lenient.rule(packet)).as("rule %d", packet).isEqualTo(strict.rule(packet));
        }
    }

    /**
     * A scheme pushed by a server, then the client's first writes shaped by it: every payload byte leaves in order
     * and whole, what is added is Waste only, and no write grows by more than the padding budget, so a hostile
     * server cannot make the client allocate or send without bound.
     */
    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void pushedSchemesShapeWritesWithinBounds(FuzzedDataProvider data) {
        long seed = data.consumeLong();
        int writes = data.consumeInt(1, 12);
        int writeLength = data.consumeInt(1, 3000);
        byte[] raw = data.consumeRemainingAsBytes();
        PaddingScheme scheme;
        try {
            scheme = PaddingScheme.parseLenient(raw);
        } catch (InvalidPaddingSchemeException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(scheme.authPaddingLength(PaddingRandom.secure())).isBetween(0, 65535);
        SplittableRandom random = new SplittableRandom(seed);
        PacketShaper shaper = new PacketShaper(() -> scheme, random::nextInt);
        for (int i = 0; i < writes; i++) {
            byte[] payload = new byte[writeLength];
            random.nextBytes(payload);
            ByteBuf write = alloc.buffer();
            FrameHeader.write(write, Command.PSH, 1, payload.length);
            write.writeBytes(payload);
            int before = write.readableBytes();
            List<ByteBuf> records = shaper.shape(alloc, write);
            ByteBuf all = alloc.buffer();
            for (ByteBuf record : records) {
                all.writeBytes(record);
                record.release();
            }
            long asked = 0;
            long mostAdded = 0;
            for (SizeItem item : shaper.shaping() ? scheme.rule(shaper.packetCounter()) : List.<SizeItem>of()) {
                if (!item.isCheckMark()) {
                    asked += item.max();
                    // a pure-padding record is the size plus one 7-byte header per 65535 bytes of Waste body
                    mostAdded += item.max() + 7L * ((item.max() + 0xFFFE) / 0xFFFF);
                }
            }
            assertThat(asked).as("padding asked for by packet %d", shaper.packetCounter())
                    .isLessThanOrEqualTo(MAX_PADDING_PER_PACKET);
            assertThat((long) all.readableBytes() - before).as("padding added to write %d", i)
                    .isLessThanOrEqualTo(mostAdded);
            int psh = 0;
            for (Frame frame; (frame = FrameDecoder.tryDecode(all)) != null; ) {
                try {
                    if (frame.command() == Command.PSH) {
                        psh++;
                        assertThat(frame.length()).isEqualTo(payload.length);
                    } else {
                        assertThat(frame.command()).isEqualTo(Command.WASTE);
                    }
                } finally {
                    frame.release();
                }
            }
            assertThat(psh).isEqualTo(1);
            assertThat(all.readableBytes()).as("bytes after the last whole frame").isZero();
            all.release();
        }
        alloc.assertAllReleased("shaping with a pushed scheme");
    }
}
