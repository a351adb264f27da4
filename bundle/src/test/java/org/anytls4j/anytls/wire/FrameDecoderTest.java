package org.anytls4j.anytls.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    /** What one decoded frame must look like: command, stream id and body as hex. */
    private record Expected(int command, int streamId, String dataHex) {
        static Expected of(Frame frame) {
            return new Expected(frame.command(), frame.streamId(), ByteBufUtil.hexDump(frame.data()));
        }
    }

    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(ByteBuf::release);
    }

    @Test
    void framesComeOutTheSameWhereverTheStreamIsSplit() {
        byte[] stream = ByteBufUtil.getBytes(track(mixedStream()));
        List<Expected> expected = mixedStreamFrames();

        for (int split = 0; split <= stream.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));

            assertThat(drain(channel)).as("split at %d", split).isEqualTo(expected);
            assertNothingBuffered(channel);
        }
    }

    @Test
    void framesComeOutTheSameWhenFedOneByteAtATime() {
        byte[] stream = ByteBufUtil.getBytes(track(mixedStream()));
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        List<Expected> decoded = new ArrayList<>();
        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            decoded.addAll(drain(channel));
        }
        assertThat(decoded).isEqualTo(mixedStreamFrames());
        assertNothingBuffered(channel);
    }

    @Test
    void unknownCommandAndStrayDataAreConsumedSoTheNextFrameStaysAligned() {
        // The desync of anytls-go (golden unknown-command.txt, session 2): 0x7f with "ABC", then SYN and PSH.
        ByteBuf in = Bytes.fromHex("7f000000000003414243" + "01000000010000" + "02000000010007017f0000017580");
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        channel.writeInbound(in);

        assertThat(drain(channel)).containsExactly(
            new Expected(0x7f, 0, "414243"),
            new Expected(Command.SYN, 1, ""),
            new Expected(Command.PSH, 1, "017f0000017580"));
        assertNothingBuffered(channel);
    }

    @Test
    void maximalFrameOf65535Bytes() {
        byte[] body = new byte[FrameHeader.MAX_LENGTH];
        new Random(7).nextBytes(body);
        ByteBuf wire = Unpooled.buffer();
        FrameHeader.write(wire, Command.PSH, 3, body.length);
        wire.writeBytes(body);
        byte[] bytes = ByteBufUtil.getBytes(wire);
        wire.release();

        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, bytes.length - 1));
        assertThat(channel.<Object>readInbound()).as("one byte short").isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1));

        assertThat(drain(channel)).containsExactly(new Expected(Command.PSH, 3, ByteBufUtil.hexDump(body)));
        assertNothingBuffered(channel);
    }

    @Test
    void manyFramesInOneBuffer() {
        ByteBuf wire = Unpooled.buffer();
        List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] body = ("frame " + i).getBytes(StandardCharsets.US_ASCII);
            FrameHeader.write(wire, Command.PSH, i + 1, body.length);
            wire.writeBytes(body);
            expected.add(new Expected(Command.PSH, i + 1, ByteBufUtil.hexDump(body)));
        }
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        channel.writeInbound(wire);

        assertThat(drain(channel)).isEqualTo(expected);
        assertNothingBuffered(channel);
    }

    @Test
    void bodiesAreSlicesOfTheReceivedBytesNotCopies() {
        ByteBuf wire = track(Bytes.fromHex("02000000010003616263"));
        Frame frame = FrameDecoder.tryDecode(wire);
        try {
            assertThat(frame.data().unwrap()).isSameAs(wire);
            assertThat(wire.refCnt()).as("the frame pins the received buffer").isEqualTo(2);
        } finally {
            frame.release();
        }
        assertThat(wire.refCnt()).isEqualTo(1);
    }

    @Test
    void tryDecodeLeavesIncompleteInputUntouched() {
        byte[] frame = ByteBufUtil.decodeHexDump("0200000001000461626364");
        for (int available = 0; available < frame.length; available++) {
            ByteBuf in = Unpooled.wrappedBuffer(frame, 0, available);
            assertThat(FrameDecoder.tryDecode(in)).as("%d bytes", available).isNull();
            assertThat(in.readerIndex()).isZero();
            in.release();
        }
    }

    @Test
    void tryDecodeConsumesExactlyOneFrame() {
        ByteBuf in = track(Bytes.fromHex("03000000090000" + "0800"));
        Frame frame = FrameDecoder.tryDecode(in);
        assertThat(frame.command()).isEqualTo(Command.FIN);
        assertThat(frame.streamId()).isEqualTo(9);
        assertThat(frame.length()).isZero();
        assertThat(in.readableBytes()).isEqualTo(2);
        frame.release();
    }

    @Test
    void streamIdIsUnsigned32Bits() {
        ByteBuf in = track(Bytes.fromHex("01ffffffff0000"));
        Frame frame = FrameDecoder.tryDecode(in);
        assertThat(frame.streamId()).isEqualTo(-1);
        assertThat(frame).hasToString("SYN sid=4294967295 len=0");
        frame.release();
    }

    @Test
    void closingWithAPartialFrameReleasesIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        ByteBuf partial = Bytes.fromHex("0200000001000a6162");
        channel.writeInbound(partial);
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(partial.refCnt()).isZero();
    }

    @Test
    void aStreamingDecoderPassesALongPshBodyOnInThePiecesThatArrivedAndOtherFramesWhole() {
        byte[] body = new byte[20_000];
        new Random(3).nextBytes(body);
        ByteBuf wire = Unpooled.buffer();
        FrameHeader.write(wire, Command.PSH, 5, body.length);
        wire.writeBytes(body);
        FrameHeader.write(wire, Command.FIN, 5, 0);
        FrameHeader.write(wire, Command.PSH, 7, 3); // short: never cut
        wire.writeBytes(new byte[] {1, 2, 3});
        byte[] stream = ByteBufUtil.getBytes(wire);
        wire.release();

        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(true));
        // Cut like TLS records of 16 KiB; the short PSH is cut in the middle.
        int[] cuts = {0, 16_384, stream.length - 2, stream.length};
        List<Expected> decoded = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(stream, cuts[i], cuts[i + 1] - cuts[i]));
            decoded.addAll(drain(channel));
        }
        String bodyHex = ByteBufUtil.hexDump(body);
        assertThat(decoded).containsExactly(
                new Expected(Command.PSH, 5, bodyHex.substring(0, 2 * (16_384 - FrameHeader.SIZE))),
                new Expected(Command.PSH, 5, bodyHex.substring(2 * (16_384 - FrameHeader.SIZE))),
                new Expected(Command.FIN, 5, ""),
                new Expected(Command.PSH, 7, "010203"));
        assertNothingBuffered(channel);
    }

    @Test
    void aStreamingDecoderGivesTheSameBytesPerStreamWhereverTheStreamIsSplit() {
        byte[] longBody = new byte[9000];
        new Random(4).nextBytes(longBody);
        ByteBuf wire = Unpooled.buffer();
        FrameHeader.write(wire, Command.PSH, 1, longBody.length);
        wire.writeBytes(longBody);
        byte[] stream = ByteBufUtil.getBytes(wire);
        wire.release();
        for (int split = 0; split <= stream.length; split += 97) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(true));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));
            StringBuilder received = new StringBuilder();
            for (Expected frame : drain(channel)) {
                assertThat(frame.command()).isEqualTo(Command.PSH);
                received.append(frame.dataHex());
            }
            assertThat(received.toString()).as("split at %d", split).isEqualTo(ByteBufUtil.hexDump(longBody));
            assertNothingBuffered(channel);
        }
    }

    /** Settings, SYN, PSH, unknown with data, SYN/FIN/heartbeats with data, Waste, SYNACK text, a longer PSH. */
    private static ByteBuf mixedStream() {
        ByteBuf out = Unpooled.buffer();
        for (Expected frame : mixedStreamFrames()) {
            byte[] body = ByteBufUtil.decodeHexDump(frame.dataHex());
            FrameHeader.write(out, frame.command(), frame.streamId(), body.length);
            out.writeBytes(body);
        }
        return out;
    }

    private static List<Expected> mixedStreamFrames() {
        byte[] longBody = new byte[300];
        new Random(1).nextBytes(longBody);
        return List.of(
            new Expected(Command.SETTINGS, 0, ByteBufUtil.hexDump("v=2\nclient=x\npadding-md5=y".getBytes(
                StandardCharsets.US_ASCII))),
            new Expected(Command.SYN, 1, ""),
            new Expected(Command.PSH, 1, "017f0000010050"),
            new Expected(0x7f, 0, "414243"),
            new Expected(Command.SYN, 2, "0102"),
            new Expected(Command.FIN, 1, "ff"),
            new Expected(Command.HEART_REQUEST, 0, "0000"),
            new Expected(Command.HEART_RESPONSE, 0, "01"),
            new Expected(Command.WASTE, 0, "0000000000"),
            new Expected(Command.SYNACK, 2, ByteBufUtil.hexDump("refused".getBytes(StandardCharsets.US_ASCII))),
            new Expected(200, 77, ""),
            new Expected(Command.PSH, 2, ByteBufUtil.hexDump(longBody)));
    }

    /** Reads, checks and releases every frame the channel has produced. */
    private static List<Expected> drain(EmbeddedChannel channel) {
        List<Expected> frames = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            assertThat(message).isInstanceOf(Frame.class);
            Frame frame = (Frame) message;
            try {
                frames.add(Expected.of(frame));
            } finally {
                frame.release();
            }
        }
        return frames;
    }

    /** Removing the decoder forwards any bytes it still holds: there must be none. */
    private static void assertNothingBuffered(EmbeddedChannel channel) {
        channel.pipeline().remove(FrameDecoder.class);
        assertThat(channel.<Object>readInbound()).as("bytes left in the decoder").isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private ByteBuf track(ByteBuf buf) {
        toRelease.add(buf);
        return buf;
    }

}
