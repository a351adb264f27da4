package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.transport.api.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.anytls4j.anytls.session.Hex.frame;
import static org.anytls4j.anytls.session.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

class ClientSessionHandlerTest {
    /** §17.9: Settings + SYN(1) + PSH(example.com:443) of anytls-go 0.0.13 with the default scheme. */
    private static final String FIRST_WRITE = "04000000000045763d320a636c69656e743d616e79746c732f302e302e31330a70616464696e"
            + "672d6d64353d3735636666326164383961616466356532353730353965653537316562653131010000000100000200000001000f"
            + "030b6578616d706c652e636f6d01bb";
    private static final PaddingScheme NO_SHAPING = PaddingScheme.parse("stop=1");
    private static final InetSocketAddress EXAMPLE = InetSocketAddress.createUnresolved("example.com", 443);
    private static final long OPEN_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    private final AtomicReference<PaddingScheme> scheme = new AtomicReference<>(NO_SHAPING);
    private final List<String> closedStreams = new ArrayList<>();
    private final List<TransportException> closedSessions = new ArrayList<>();
    private final List<String> received = new ArrayList<>();
    private final List<Throwable> streamErrors = new ArrayList<>();
    private EmbeddedChannel channel;
    private ClientSessionHandler session;

    private ClientSessionHandler client(ClientSessionOptions.Builder options) {
        session = new ClientSessionHandler("c1", options.build(), new ClientSessionListener() {
            @Override
            public void streamClosed(ClientSessionHandler s, AnyTlsStream stream) {
                closedStreams.add(Integer.toString(stream.streamId()));
            }

            @Override
            public void sessionClosed(ClientSessionHandler s, TransportException cause) {
                closedSessions.add(cause);
            }
        });
        channel = new EmbeddedChannel();
        CarrierPipeline.client(channel.pipeline(), null, session);
        channel.freezeTime(); // timers move only with advanceTimeBy
        return session;
    }

    private ClientSessionOptions.Builder options() {
        return ClientSessionOptions.builder("test")
                .clientName("anytls/0.0.13")
                .paddingScheme(scheme::get, scheme::set);
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private Promise<AnyTlsStream> open(InetSocketAddress destination, boolean reused) {
        Promise<AnyTlsStream> promise = channel.eventLoop().newPromise();
        session.openStream(destination, recorder(), null, reused, OPEN_TIMEOUT, promise);
        return promise;
    }

    private ChannelInboundHandlerAdapter recorder() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(Hex.drain((ByteBuf) msg));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                streamErrors.add(cause);
            }
        };
    }

    private String outbound() {
        StringBuilder all = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            all.append(Hex.drain(out));
        }
        return all.toString();
    }

    private List<Integer> outboundRecordSizes() {
        List<Integer> sizes = new ArrayList<>();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            sizes.add(out.readableBytes());
            out.release();
        }
        return sizes;
    }

    private void serverSends(String hex) {
        channel.writeInbound(Hex.buf(hex));
        channel.runPendingTasks();
    }

    private static String serverSettingsV2() {
        return "0a000000000003763d32";
    }

    @Test
    void firstStreamSendsSettingsSynAndAddressAsPacketOneLikeTheReference() {
        scheme.set(PaddingScheme.DEFAULT);
        PaddingRandom drawsNoWaste = (origin, bound) -> 110; // 105 bytes + 7 > 110: no Waste (§9.5)
        client(options().random(drawsNoWaste));
        open(EXAMPLE, false);
        List<Integer> records = new ArrayList<>();
        StringBuilder hex = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            records.add(out.readableBytes());
            hex.append(Hex.drain(out));
        }
        assertThat(records).containsExactly(105);
        assertThat(hex.toString()).isEqualTo(FIRST_WRITE);
    }

    @Test
    void packetOneIsPaddedToTheDrawnSize() {
        scheme.set(PaddingScheme.DEFAULT);
        client(options().random((origin, bound) -> 200));
        open(EXAMPLE, false);
        ByteBuf record = channel.readOutbound();
        assertThat(record.readableBytes()).isEqualTo(200);
        assertThat(Hex.drain(record)).isEqualTo(FIRST_WRITE + "00000000000058" + "00".repeat(88));
    }

    @Test
    void synAckActivatesTheStreamAndDataFlowsBothWays() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        outbound();
        assertThat(promise.isDone()).isFalse();
        serverSends(serverSettingsV2() + "07000000010000" + frame(2, 1, "cafe"));
        assertThat(promise.isSuccess()).isTrue();
        AnyTlsStream stream = promise.getNow();
        assertThat(stream.isActive()).isTrue();
        assertThat(stream.attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isTrue();
        assertThat(received).containsExactly("cafe");
        stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        channel.runPendingTasks();
        assertThat(outbound()).isEqualTo(frame(2, 1, "010203"));
    }

    @Test
    void synAckErrorFailsTheOpenWithTheRemoteTextAndKeepsTheSession() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        outbound();
        serverSends(serverSettingsV2() + "070000000100116469616c207463703a2072656675736564");
        assertThat(promise.cause()).isInstanceOf(TransportException.class);
        TransportException error = (TransportException) promise.cause();
        assertThat(error.phase()).isEqualTo(TransportException.Phase.REMOTE_CONNECT);
        assertThat(error.remoteMessage()).contains("dial tcp: refused");
        assertThat(outbound()).as("the failed stream is closed with a FIN").isEqualTo("03000000010000");
        assertThat(session.isOpen()).isTrue();
        assertThat(closedStreams).containsExactly("1");
    }

    @Test
    void aVersion1ServerWithoutServerSettingsStillGetsItsStreamAfterTheDiscoveryWait() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        outbound();
        channel.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(promise.isDone()).isFalse();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(promise.isSuccess()).isTrue();
        assertThat(promise.getNow().attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isFalse();
        promise.getNow().close();
        channel.runPendingTasks();
        outbound();
        // The version is known now: the next stream on this v1 session opens at once, with no watchdog.
        Promise<AnyTlsStream> second = open(EXAMPLE, true);
        assertThat(second.isSuccess()).isTrue();
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aFirstOpenToAVersion1ServerWaitsAFewHandshakeRoundTripsNotTheSynAckTimeout() {
        client(options());
        session.handshakeTook(TimeUnit.MILLISECONDS.toNanos(30));
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        outbound();
        channel.advanceTimeBy(119, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(promise.isDone()).as("still within 4 round trips of 30 ms").isFalse();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(promise.isSuccess()).as("a v1 server: open after 120 ms, not after the 3 s SYNACK timeout").isTrue();
        assertThat(promise.getNow().attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isFalse();
    }

    @Test
    void aFastHandshakeStillWaitsFiftyMillisecondsForServerSettings() {
        client(options());
        session.handshakeTook(TimeUnit.MICROSECONDS.toNanos(300));
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        channel.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(promise.isDone()).isFalse();
        serverSends(serverSettingsV2() + "07000000010000");
        assertThat(promise.isSuccess()).isTrue();
        assertThat(promise.getNow().attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get())
                .as("a v2 server answering in time confirms the open").isTrue();
        outbound();
    }

    /** {@link #FIRST_WRITE} as this test's unshaped scheme announces it: only the padding md5 differs. */
    private static String firstWriteWithoutShaping() {
        return FIRST_WRITE.replace(ascii(PaddingScheme.DEFAULT.md5Hex()), ascii(NO_SHAPING.md5Hex()));
    }

    private static String ascii(String text) {
        StringBuilder hex = new StringBuilder();
        for (char c : text.toCharArray()) {
            hex.append(String.format("%02x", (int) c));
        }
        return hex.toString();
    }

    private Promise<AnyTlsStream> openEarly() {
        return openEarly(false);
    }

    private Promise<AnyTlsStream> openEarly(boolean reused) {
        Promise<AnyTlsStream> promise = channel.eventLoop().newPromise();
        session.openStream(EXAMPLE, recorder(), null, reused, OPEN_TIMEOUT, true, promise);
        return promise;
    }

    /** A first stream confirmed and closed at the test's time zero: the session heard from the server then. */
    private void carryOneStream() {
        Promise<AnyTlsStream> first = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        first.getNow().close();
        channel.runPendingTasks();
        outbound();
    }

    /** An early-data open on a session that carried one stream and then heard nothing for {@code quiet}. */
    private Promise<AnyTlsStream> openEarlyOnASessionQuietFor(Duration quiet, Duration earlyDataWindow) {
        client(options().earlyDataWindow(earlyDataWindow));
        carryOneStream();
        channel.advanceTimeBy(quiet.toNanos(), TimeUnit.NANOSECONDS);
        return openEarly(true);
    }

    @Test
    void anEarlyDataOpenOnAReusedSessionThatHeardFromTheServerWithinTheWindowCompletesAtOnce() {
        Promise<AnyTlsStream> second = openEarlyOnASessionQuietFor(Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(second.isSuccess()).as("no round trip").isTrue();
        AnyTlsStream stream = second.getNow();
        assertThat(stream.attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isFalse();
        stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) 0xca, (byte) 0xfe}));
        channel.runPendingTasks();
        assertThat(outbound()).as("SYN, the address and the first bytes")
                .isEqualTo("01000000020000" + frame(2, 2, "030b6578616d706c652e636f6d01bb") + frame(2, 2, "cafe"));
        // The liveness watchdog still runs: a session that died unheard fails the stream with its reason.
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).isFalse();
        assertThat(stream.isOpen()).isFalse();
        assertThat(streamErrors).singleElement().isInstanceOfSatisfying(TransportException.class,
                error -> assertThat(error.reason()).isEqualTo(TransportException.Reason.TIMEOUT));
    }

    @Test
    void anEarlyDataOpenOnAReusedSessionQuietLongerThanTheWindowWaitsForItsSynack() {
        Promise<AnyTlsStream> second = openEarlyOnASessionQuietFor(Duration.ofMillis(1001), Duration.ofSeconds(1));

        assertThat(second.isDone()).as("waits for the server").isFalse();
        assertThat(outbound()).as("SYN, then the address, sent at once")
                .isEqualTo("01000000020000" + frame(2, 2, "030b6578616d706c652e636f6d01bb"));
        serverSends("07000000020000");
        assertThat(second.isSuccess()).isTrue();
        assertThat(second.getNow().attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get())
                .isTrue();
    }

    @Test
    void anEarlyDataOpenOnAPooledSessionThatNeverHeardFromTheServerWaitsForItsSynack() {
        client(options().earlyDataWindow(Duration.ofHours(1)));
        Promise<AnyTlsStream> first = openEarly(true); // a warm session's first stream: reused as the pool sees it

        assertThat(first.isDone()).isFalse();
        serverSends(serverSettingsV2() + "07000000010000");
        assertThat(first.isSuccess()).isTrue();
        outbound();
    }

    @Test
    void aZeroEarlyDataWindowMakesEveryReusedSessionConfirmFirst() {
        // Not even within the same tick as the last frame.
        assertThat(openEarlyOnASessionQuietFor(Duration.ZERO, Duration.ZERO).isDone()).isFalse();
        outbound();
    }

    @Test
    void anEarlyDataOpenCompletesAtOnceAndSendsSynAndAddressBeforeItsFirstBytes() {
        client(options());
        Promise<AnyTlsStream> promise = openEarly();
        assertThat(promise.isSuccess()).as("no round trip").isTrue();
        AnyTlsStream stream = promise.getNow();
        assertThat(stream.isActive()).isTrue();
        assertThat(stream.attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isFalse();
        // Packet 1 as anytls-go sends it: the server can dial while the application answers its proxy handshake.
        assertThat(outbound()).as("packet 1 at once, not held for the first bytes")
                .isEqualTo(firstWriteWithoutShaping());

        stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) 0xca, (byte) 0xfe}));
        channel.runPendingTasks();
        assertThat(outbound()).isEqualTo(frame(2, 1, "cafe"));
        serverSends(serverSettingsV2() + "07000000010000" + frame(2, 1, "beef"));
        assertThat(received).containsExactly("beef");
        assertThat(streamErrors).isEmpty();
    }

    @Test
    void anEarlyDataOpenOnAReusedSessionSendsSynAndAddressAtOnce() {
        Promise<AnyTlsStream> second = openEarlyOnASessionQuietFor(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(second.isSuccess()).isTrue();
        assertThat(outbound()).isEqualTo("01000000020000" + frame(2, 2, "030b6578616d706c652e636f6d01bb"));
    }

    @Test
    void aFailedDialReachesAnEarlyDataStreamAsItsReasonThenAClose() {
        client(options());
        AnyTlsStream stream = openEarly().getNow();
        stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.runPendingTasks();
        outbound();
        serverSends(serverSettingsV2() + "070000000100116469616c207463703a2072656675736564");
        assertThat(stream.isOpen()).isFalse();
        assertThat(streamErrors).hasSize(1);
        TransportException error = (TransportException) streamErrors.get(0);
        assertThat(error.phase()).isEqualTo(TransportException.Phase.REMOTE_CONNECT);
        assertThat(error.remoteMessage()).contains("dial tcp: refused");
        assertThat(outbound()).as("FIN for the failed stream").isEqualTo("03000000010000");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void reusedSessionWithoutAnyAnswerIsClosedWhenTheSynAckWatchdogExpires() {
        client(options());
        Promise<AnyTlsStream> first = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        first.getNow().close();
        channel.runPendingTasks();
        outbound();

        Promise<AnyTlsStream> second = open(EXAMPLE, true);
        assertThat(outbound()).as("SYN, then the address")
                .isEqualTo("01000000020000" + frame(2, 2, "030b6578616d706c652e636f6d01bb"));
        channel.advanceTimeBy(749, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).as("no probe while an answer may still come").isEmpty();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).as("a quarter of the SYNACK timeout in silence: the liveness probe")
                .isEqualTo("08000000000000");
        channel.advanceTimeBy(2249, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).as("closed by %s", closedSessions).isTrue();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).isFalse();
        assertThat(second.cause()).isInstanceOf(TransportException.class);
        assertThat(((TransportException) second.cause()).reason()).isEqualTo(TransportException.Reason.TIMEOUT);
        assertThat(closedSessions).hasSize(1);
    }

    @Test
    void aReusedSessionThatAnswersBeforeTheProbeIsDueIsNeverProbed() {
        client(options());
        carryOneStream();
        Promise<AnyTlsStream> second = open(EXAMPLE, true);
        outbound();
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        serverSends("07000000020000");
        assertThat(second.isSuccess()).isTrue();

        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).as("no HeartRequest: the SYNACK proved the session alive").isEmpty();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aLiveReusedSessionSurvivesASlowDestinationAndOnlyTheOpenTimesOut() {
        client(options());
        Promise<AnyTlsStream> first = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        first.getNow().close();
        channel.runPendingTasks();
        outbound();
        Promise<AnyTlsStream> second = open(EXAMPLE, true);
        channel.advanceTimeBy(750, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).endsWith("08000000000000");
        serverSends("09000000000000"); // the answer to the probe: alive, still dialling
        channel.advanceTimeBy(4250, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).isTrue();
        assertThat(second.isDone()).isFalse();
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(second.cause()).isInstanceOf(TransportException.class);
        assertThat(((TransportException) second.cause()).phase()).isEqualTo(TransportException.Phase.REMOTE_CONNECT);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void anAlertClosesTheSessionAndItsTextReachesThePendingOpen() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        serverSends(frame(5, 0, hex("client did not send its settings")));
        assertThat(session.isOpen()).isFalse();
        assertThat(promise.cause()).hasMessageContaining("client did not send its settings");
        assertThat(((TransportException) promise.cause()).remoteMessage())
                .contains("client did not send its settings");
    }

    @Test
    void anEmptyAlertIsIgnored() {
        client(options());
        serverSends("05000000000000");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aPushedPaddingSchemeReplacesTheSchemeOfThisClient() {
        client(options());
        String pushed = "stop=4\n0=100-100\n1=300-300\n2=200-200,c,400-400\n3=50-50";
        serverSends(frame(6, 0, hex(pushed)));
        assertThat(scheme.get().raw()).isEqualTo(pushed.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void anInvalidPushedSchemeKeepsTheOldOne() {
        client(options());
        serverSends(frame(6, 0, hex("no stop here")));
        assertThat(scheme.get()).isSameAs(NO_SHAPING);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void heartRequestIsAnswered() {
        client(options());
        open(EXAMPLE, false); // flushes the held-back Settings so that later writes go straight out
        outbound();
        serverSends("08000000000000");
        assertThat(outbound()).isEqualTo("09000000000000");
    }

    @Test
    void activeHeartbeatsProbeAnIdleV2PeerAndCloseTheSessionWhenUnanswered() {
        client(options().heartbeat(Duration.ofSeconds(20), Duration.ofSeconds(5)));
        Promise<AnyTlsStream> first = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        outbound();
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).isEqualTo("08000000000000");
        serverSends("09000000000000");
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).as("answered: a new probe after the next idle interval").isEqualTo("08000000000000");
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.isOpen()).isFalse();
        assertThat(first.getNow().isOpen()).isFalse();
        assertThat(streamErrors).hasSize(1);
        assertThat(((TransportException) streamErrors.get(0)).reason())
                .isEqualTo(TransportException.Reason.SESSION_LOST);
    }

    @Test
    void noHeartbeatsToAVersion1Peer() {
        client(options().heartbeat(Duration.ofSeconds(20), Duration.ofSeconds(5)));
        open(EXAMPLE, false);
        outbound();
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).isEmpty();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void cancellingAPendingOpenSendsFinAndKeepsTheSession() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        outbound();
        promise.cancel(false);
        channel.runPendingTasks();
        assertThat(outbound()).isEqualTo("03000000010000");
        assertThat(session.isOpen()).isTrue();
        serverSends(serverSettingsV2() + "07000000010000");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void theFirstFailureIsTheCauseEveryStreamSees() {
        client(options());
        Promise<AnyTlsStream> a = open(EXAMPLE, false);
        Promise<AnyTlsStream> b = open(InetSocketAddress.createUnresolved("example.org", 80), false);
        serverSends(serverSettingsV2() + "07000000010000");
        serverSends(frame(5, 0, hex("first")));
        session.closeSession(new TransportException(TransportException.Reason.INTERNAL,
                TransportException.Phase.DATA, "test", "second", null));
        assertThat(streamErrors).hasSize(1);
        assertThat(streamErrors.get(0)).hasMessageContaining("first");
        assertThat(b.cause()).hasMessageContaining("first");
        assertThat(session.closeCause()).hasMessageContaining("first");
        assertThat(closedSessions).hasSize(1);
        assertThat(a.getNow().isOpen()).isFalse();
    }

    @Test
    void aServerClosingBeforeAnyAnswerIsReportedAsALikelyAuthenticationFailure() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        channel.close();
        assertThat(((TransportException) promise.cause()).reason())
                .isEqualTo(TransportException.Reason.UPSTREAM_AUTH);
    }

    @Test
    void aStreamThatStopsReadingStopsTheCarrierAndResumesIt() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        AnyTlsStream stream = promise.getNow();
        stream.config().setAutoRead(false);
        serverSends(frame(2, 1, "01") + frame(2, 1, "02"));
        assertThat(received).isEmpty();
        assertThat(channel.config().isAutoRead()).as("the session stops reading its carrier").isFalse();
        stream.read();
        channel.runPendingTasks();
        assertThat(received).containsExactly("01");
        assertThat(channel.config().isAutoRead()).isFalse();
        stream.read();
        channel.runPendingTasks();
        assertThat(received).containsExactly("01", "02");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void finFromTheServerClosesTheStreamAfterItsDataWasRead() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        AnyTlsStream stream = promise.getNow();
        stream.config().setAutoRead(false);
        serverSends(frame(2, 1, "aa") + "03000000010000");
        outbound();
        assertThat(stream.isOpen()).as("unread data keeps the stream open").isTrue();
        stream.read();
        channel.runPendingTasks();
        assertThat(received).containsExactly("aa");
        assertThat(stream.isOpen()).isFalse();
        assertThat(outbound()).as("no FIN echo").isEmpty();
        assertThat(closedStreams).containsExactly("1");
    }

    @Test
    void streamWritabilityFollowsTheCarrier() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        AnyTlsStream stream = promise.getNow();
        assertThat(stream.isWritable()).isTrue();
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        // Queued below the session's handlers, not flushed: the carrier goes unwritable.
        channel.pipeline().context("records").write(Unpooled.wrappedBuffer(new byte[64]));
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isFalse();
        assertThat(stream.isWritable()).isFalse();
        channel.pipeline().context("records").flush();
        channel.runPendingTasks();
        assertThat(stream.isWritable()).isTrue();
        outbound();
    }

    @Test
    void largeWritesAreSplitIntoTheFewestFramesOfEvenSize() {
        client(options());
        Promise<AnyTlsStream> promise = open(EXAMPLE, false);
        serverSends(serverSettingsV2() + "07000000010000");
        outbound();
        byte[] payload = new byte[65536 * 2 + 10];
        new java.util.Random(7).nextBytes(payload);
        promise.getNow().writeAndFlush(Unpooled.wrappedBuffer(payload));
        channel.runPendingTasks();
        byte[] wire = ByteBufUtil.decodeHexDump(outbound());
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        ByteBuf reassembled = Unpooled.buffer();
        List<Integer> lengths = new ArrayList<>();
        while (in.isReadable()) {
            assertThat(in.readUnsignedByte()).isEqualTo((short) 2);
            assertThat(in.readInt()).isEqualTo(1);
            int length = in.readUnsignedShort();
            lengths.add(length);
            reassembled.writeBytes(in, length);
        }
        assertThat(lengths).as("three frames of even size").containsExactly(43694, 43694, 43694);
        assertThat(ByteBufUtil.getBytes(reassembled)).isEqualTo(payload);
        reassembled.release();
    }
}
