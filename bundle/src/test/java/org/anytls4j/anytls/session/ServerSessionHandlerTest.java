package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.anytls.session.Hex.frame;
import static org.anytls4j.anytls.session.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

class ServerSessionHandlerTest {
    private static final String DEFAULT_MD5 = "75cff2ad89aadf5e257059ee571ebe11";
    private static final String SERVER_SETTINGS = "0a000000000003763d32";

    private final List<AnyTlsStream> opened = new ArrayList<>();
    private final List<String> received = new ArrayList<>();
    private EmbeddedChannel channel;
    private ServerSessionHandler session;

    private EmbeddedChannel server(PaddingScheme scheme, int maxStreams) {
        ServerSessionOptions options = ServerSessionOptions.builder("test-server", this::recordingHandler)
                .paddingScheme(() -> scheme)
                .maxStreamsPerSession(maxStreams)
                .build();
        session = new ServerSessionHandler("s1", "alice", options, ServerEvents.NONE);
        channel = new EmbeddedChannel();
        CarrierPipeline.server(channel.pipeline(), null, session);
        return channel;
    }

    private ChannelHandler recordingHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                opened.add((AnyTlsStream) ctx.channel());
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf data = (ByteBuf) msg;
                received.add(((AnyTlsStream) ctx.channel()).streamId() + ":" + Hex.drain(data));
            }
        };
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static String settings(String body) {
        return frame(4, 0, hex(body));
    }

    private List<String> outbound() {
        List<String> frames = new ArrayList<>();
        ByteBuf out;
        StringBuilder all = new StringBuilder();
        while ((out = channel.readOutbound()) != null) {
            all.append(Hex.drain(out));
        }
        String hex = all.toString();
        int at = 0;
        while (at < hex.length()) {
            int length = Integer.parseInt(hex.substring(at + 10, at + 14), 16);
            int end = at + 14 + length * 2;
            frames.add(hex.substring(at, end));
            at = end;
        }
        return frames;
    }

    @Test
    void matchingMd5AndVersion2GetOnlyServerSettings() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\nclient=test/1\npadding-md5=" + DEFAULT_MD5)));
        assertThat(outbound()).containsExactly(SERVER_SETTINGS);
        assertThat(session.peerVersion()).isEqualTo(2);
        assertThat(session.clientName()).isEqualTo("test/1");
    }

    @Test
    void md5MismatchGetsUpdatePaddingSchemeThenServerSettingsInThatOrder() {
        PaddingScheme custom = PaddingScheme.parse("stop=3\n0=10-10\n1=100-200\n2=300-300");
        server(custom, 16);
        channel.writeInbound(Hex.buf(settings("v=2\nclient=test/1\npadding-md5=" + DEFAULT_MD5)));
        String update = frame(6, 0, io.netty.buffer.ByteBufUtil.hexDump(custom.raw()));
        assertThat(outbound()).containsExactly(update, SERVER_SETTINGS);
    }

    @Test
    void missingMd5CountsAsDifferent() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2")));
        assertThat(outbound()).hasSize(2);
    }

    @Test
    void synBeforeSettingsGetsTheReferenceAlertAndClosesTheSession() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf("01000000010000"));
        assertThat(outbound()).containsExactly(
                "05000000000020636c69656e7420646964206e6f742073656e64206974732073657474696e6773");
        assertThat(channel.isOpen()).isFalse();
        assertThat(opened).isEmpty();
    }

    @Test
    void emptySettingsDoNotCountAsSettings() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf("04000000000000" + "01000000010000"));
        assertThat(outbound()).hasSize(1).first().asString().startsWith("05");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void version1ClientGetsNoServerSettingsAndNoSynAck() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=1\nclient=old/1\npadding-md5=" + DEFAULT_MD5)
                + "01000000010000"));
        assertThat(outbound()).isEmpty();
        assertThat(opened).hasSize(1);
        StreamAttributes.reportConnectResult(opened.get(0), null);
        channel.runPendingTasks();
        assertThat(outbound()).isEmpty();
    }

    @Test
    void synAckReportsSuccessEmptyAndFailureWithText() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + "01000000010000" + "01000000020000"));
        outbound();
        StreamAttributes.reportConnectResult(opened.get(0), null);
        StreamAttributes.reportConnectResult(opened.get(1), "dial tcp: refused");
        assertThat(outbound()).containsExactly("07000000010000",
                "070000000200116469616c207463703a2072656675736564");
    }

    @Test
    void dataReachesItsStreamAndFinClosesItWithoutEcho() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + "01000000010000" + frame(2, 1, "aabbcc") + "03000000010000"));
        outbound();
        assertThat(received).containsExactly("1:aabbcc");
        assertThat(opened.get(0).isOpen()).isFalse();
        assertThat(outbound()).as("no FIN echo (§8.4)").isEmpty();
        assertThat(channel.isOpen()).as("the session stays").isTrue();
    }

    @Test
    void localStreamCloseSendsOneFin() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5) + "01000000050000"));
        outbound();
        opened.get(0).close();
        channel.runPendingTasks();
        assertThat(outbound()).containsExactly("03000000050000");
    }

    @Test
    void pshAndFinForUnknownStreamsAreIgnored() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + frame(2, 9, "0102") + "03000000090000"));
        outbound();
        assertThat(received).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void unknownCommandsAndDataOnControlFramesAreConsumedWithoutDesync() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + frame(0x7f, 0, hex("ABC"))
                + frame(1, 1, "ffff")          // SYN with data: consumed, stream still opens
                + frame(8, 7, "00")            // HeartRequest with data
                + frame(2, 1, "42")));
        assertThat(outbound()).containsExactly(SERVER_SETTINGS, "09000000070000");
        assertThat(opened).hasSize(1);
        assertThat(received).containsExactly("1:42");
    }

    @Test
    void heartRequestIsAnsweredWithTheSameStreamId() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf("08000000000000" + "08000000070000"));
        assertThat(outbound()).containsExactly("09000000000000", "09000000070000");
    }

    @Test
    void streamsBeyondTheLimitAreRefusedWithSynAckTextAndFin() {
        server(PaddingScheme.DEFAULT, 1);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + "01000000010000" + "01000000020000"));
        List<String> frames = outbound();
        assertThat(opened).hasSize(1);
        assertThat(frames).hasSize(3);
        assertThat(frames.get(1)).startsWith("0700000002");
        assertThat(frames.get(2)).isEqualTo("03000000020000");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRepeatedSynIsIgnored() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5)
                + "01000000010000" + "01000000010000"));
        assertThat(opened).hasSize(1);
    }

    @Test
    void framesSplitAcrossReadsAtEveryOffsetGiveTheSameResult() {
        String stream = settings("v=2\npadding-md5=" + DEFAULT_MD5) + "01000000010000" + frame(2, 1, "00112233")
                + "08000000000000" + frame(2, 1, "4455") + "03000000010000";
        byte[] bytes = io.netty.buffer.ByteBufUtil.decodeHexDump(stream);
        for (int split = 1; split < bytes.length; split++) {
            opened.clear();
            received.clear();
            server(PaddingScheme.DEFAULT, 16);
            channel.writeInbound(Unpooled.copiedBuffer(bytes, 0, split));
            channel.writeInbound(Unpooled.copiedBuffer(bytes, split, bytes.length - split));
            assertThat(outbound()).as("split at %d", split).containsExactly(SERVER_SETTINGS, "09000000000000");
            assertThat(String.join("", received).replace("1:", "")).as("split at %d", split).isEqualTo("001122334455");
            assertThat(opened).hasSize(1);
            assertThat(opened.get(0).isOpen()).isFalse();
            channel.finishAndReleaseAll();
        }
        channel = null;
    }

    @Test
    void anAlertFromTheClientClosesTheSession() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(frame(5, 0, hex("bye"))));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idleSessionsCloseAfterTheConfiguredTimeout() {
        ServerSessionOptions options = ServerSessionOptions.builder("test-server", this::recordingHandler)
                .idleSessionTimeout(Duration.ofSeconds(30))
                .build();
        session = new ServerSessionHandler("s1", "alice", options, ServerEvents.NONE);
        channel = new EmbeddedChannel();
        CarrierPipeline.server(channel.pipeline(), null, session);
        channel.freezeTime();
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5) + "01000000010000"));
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("a session with a stream is not idle").isTrue();
        opened.get(0).close();
        channel.runPendingTasks();
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void userNameIsAttachedToStreams() {
        server(PaddingScheme.DEFAULT, 16);
        channel.writeInbound(Hex.buf(settings("v=2\npadding-md5=" + DEFAULT_MD5) + "01000000010000"));
        assertThat(opened.get(0).attr(StreamAttributes.USER).get()).isEqualTo("alice");
    }
}
