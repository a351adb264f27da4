package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameDecoder;
import org.anytls4j.anytls.wire.FrameHeader;
import org.anytls4j.anytls.session.ServerEvents;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.anytls.session.ServerSessionOptions;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame stream a peer sends after authentication (spec §4): the decoder, and the server session that acts on
 * the decoded frames. Both must survive any byte stream cut at any place, release every buffer, and the server
 * must only ever answer with well-formed frames of the commands a server may send.
 */
class FrameStreamFuzzTest {
    private static final Set<Integer> SERVER_COMMANDS = Set.of(Command.PSH, Command.FIN, Command.ALERT,
            Command.UPDATE_PADDING_SCHEME, Command.SYNACK, Command.HEART_RESPONSE, Command.SERVER_SETTINGS);

    private final TrackingAllocator alloc = new TrackingAllocator();

    /** Re-encoding what the decoder produced gives back exactly the bytes it consumed; the rest is one partial frame. */
    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void decoderReassemblesEveryFrameWhateverTheChunking(FuzzedDataProvider data) {
        FuzzInput input = FuzzInput.from(data);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new FrameDecoder());
        input.feed(channel, alloc);

        ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
        Frame frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                assertThat(frame.length()).isBetween(0, FrameHeader.MAX_LENGTH);
                ByteBuf header = Unpooled.buffer(FrameHeader.SIZE);
                FrameHeader.write(header, frame.command(), frame.streamId(), frame.length());
                reencoded.write(header.array(), header.arrayOffset(), FrameHeader.SIZE);
                byte[] body = new byte[frame.length()];
                frame.content().getBytes(frame.content().readerIndex(), body);
                reencoded.writeBytes(body);
            } finally {
                frame.release();
            }
        }
        byte[] stream = input.stream();
        byte[] consumed = reencoded.toByteArray();
        assertThat(consumed.length).isLessThanOrEqualTo(stream.length);
        assertThat(Arrays.equals(consumed, 0, consumed.length, stream, 0, consumed.length))
                .as("re-encoded frames equal the consumed prefix").isTrue();
        int rest = stream.length - consumed.length;
        if (rest >= FrameHeader.SIZE) {
            int announced = ((stream[consumed.length + 5] & 0xFF) << 8) | (stream[consumed.length + 6] & 0xFF);
            assertThat(rest).as("only an incomplete frame may be left").isLessThan(FrameHeader.SIZE + announced);
        }
        channel.finishAndReleaseAll();
        alloc.assertAllReleased("decoding " + stream.length + " bytes");
    }

    /** A hostile client's frames after authentication: no exception escapes, no buffer leaks, answers stay valid. */
    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void serverSessionSurvivesAnyFrameStream(FuzzedDataProvider data) {
        boolean settingsFirst = data.consumeBoolean();
        int maxStreams = data.consumeInt(1, 4);
        FuzzInput input = FuzzInput.from(data);
        ServerSessionOptions options = ServerSessionOptions.builder("fuzz", FrameStreamFuzzTest::echoUntilZero)
                .maxStreamsPerSession(maxStreams)
                .build();
        ServerSessionHandler session = new ServerSessionHandler("fuzz-1", "user", options, ServerEvents.NONE);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        org.anytls4j.anytls.session.CarrierPipeline.server(channel.pipeline(), null, session);
        if (settingsFirst) {
            byte[] settings = "v=2\nclient=fuzz\npadding-md5=0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuf frame = alloc.buffer();
            FrameHeader.write(frame, Command.SETTINGS, 0, settings.length);
            frame.writeBytes(settings);
            channel.writeInbound(frame);
        }
        input.feed(channel, alloc);
        channel.runPendingTasks();
        channel.checkException();

        ByteBuf answers = Unpooled.buffer();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            answers.writeBytes(out);
            out.release();
        }
        for (Frame frame; (frame = FrameDecoder.tryDecode(answers)) != null; ) {
            try {
                assertThat(SERVER_COMMANDS).as("command a server sends").contains(frame.command());
            } finally {
                frame.release();
            }
        }
        assertThat(answers.readableBytes()).as("the server wrote a partial frame").isZero();
        answers.release();
        channel.finishAndReleaseAll();
        channel.runPendingTasks();
        assertThat(session.isOpen()).isFalse();
        alloc.assertAllReleased("a server session fed " + input.stream().length + " bytes");
        LeakChecks.everyNthInput();
    }

    /** Echoes stream data back (server writes), and closes the stream on a chunk starting with 0 (server FIN). */
    private static ChannelHandler echoUntilZero() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf data = (ByteBuf) msg;
                if (data.isReadable() && data.getByte(data.readerIndex()) == 0) {
                    data.release();
                    ctx.close();
                } else {
                    ctx.writeAndFlush(data);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // the session's loss reaches every stream: expected here, not worth a log line
            }
        };
    }
}
