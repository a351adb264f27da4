package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.transport.api.TransportException;
import org.junit.jupiter.api.Test;

/**
 * Drives our client engine the way the reference client (anytls-go v0.0.13) was driven in the golden captures,
 * feeds it what the reference server answered, and compares what it writes with the reference client's packets
 * (see {@link ClientReplay} for what is compared per packet).
 */
class ClientReplayTest {

    @Test
    void tcpTwoStreamsWithTheDefaultSchemeAndAReusedSession() {
        Session session = session("tcp-two-streams.txt", 1);
        AtomicReference<PaddingScheme> scheme = new AtomicReference<>(PaddingScheme.DEFAULT);
        try (ReplayClient client = new ReplayClient(scheme, new GoldenRandom())) {
            ClientReplay replay = replay(session, client, scheme);

            assertThat(replay.pulledForward()).as("every write came after its stream's SYNACK").isEmpty();
            assertThat(client.peerVersion()).isEqualTo(2);
            assertThat(received(client)).as("what the applications read").isEqualTo(replay.serverPayloadByStream());
            assertThat(finStreamIds(replay)).as("FIN only when the application closed stream 1; none in answer to "
                + "the server's FIN sid=2").containsExactly(1);
            assertThat(client.openOf(2).getNow().isOpen()).as("stream 2 closed by the server's FIN").isFalse();
            assertThat(client.closedStreams()).containsExactly(1, 2);
            assertThat(client.isSessionOpen()).as("the session stays, idle, as in the capture").isTrue();
        }
    }

    @Test
    void aPushedSchemeAppliesFromTheNextWriteAndToTheNextSession() {
        GoldenConversation conversation = GoldenConversation.load("padding-update.txt");
        PaddingScheme pushed = GoldenSchemes.serverScheme(conversation);
        AtomicReference<PaddingScheme> scheme = new AtomicReference<>(PaddingScheme.DEFAULT);

        try (ReplayClient client = new ReplayClient(scheme, new GoldenRandom())) {
            // Packets 2 to 5 can only match the capture with the pushed scheme (200+400, 50+28, then unpadded
            // from pkt 4 because the pushed stop is 4).
            ClientReplay replay = replay(conversation.sessions().get(0), client, scheme);
            assertThat(scheme.get().raw()).as("the pushed scheme replaced ours").isEqualTo(pushed.raw());
            assertThat(received(client)).isEqualTo(replay.serverPayloadByStream());
            assertThat(finStreamIds(replay)).containsExactly(1);
            client.closeCarrier(); // -dr: the session ends with its stream
            assertThat(client.writtenRecords()).as("no FIN frames when a session closes").isEmpty();
        }

        // Session 2: the pushed scheme from the start (auth padding0 100, pkt 1 = 300, md5 in Settings).
        try (ReplayClient client = new ReplayClient(scheme, new GoldenRandom())) {
            ClientReplay replay = replay(conversation.sessions().get(1), client, scheme);
            assertThat(replay.sentFrames().get(0).comparable()).contains("padding-md5=" + pushed.md5Hex());
            assertThat(received(client)).isEqualTo(replay.serverPayloadByStream());
        }
    }

    @Test
    void udpOnAReusedSessionWithoutSynAckEndsTheSessionAfterThreeSecondsLikeTheReference() {
        Session session = session("udp-reused-late.txt", 1);
        AtomicReference<PaddingScheme> scheme = new AtomicReference<>(PaddingScheme.DEFAULT);
        try (ReplayClient client = new ReplayClient(scheme, new GoldenRandom())) {
            ClientReplay replay = replay(session, client, scheme);

            // The reference client wrote its GET before the SYNACK; ours hands the stream out on the SYNACK.
            assertThat(replay.pulledForward()).containsExactly("[S2]");
            assertThat(received(client)).isEqualTo(replay.serverPayloadByStream());
            assertThat(client.closedStreams()).as("stream 1 ended by the server's FIN").containsExactly(1);
            assertThat(finStreamIds(replay)).as("no FIN echo for the server's FIN sid=1").isEmpty();

            // Unlike the reference, ours asks before it gives up: after a quiet quarter of the 3 s, a HeartRequest
            // (shaped like any write of its packet number; the reference never made that draw).
            client.random().plan(scheme.get(), replay.nextPacketNumber(), List.of());
            client.advanceTimeBy(Duration.ofMillis(749));
            assertThat(client.writtenRecords()).isEmpty();
            client.advanceTimeBy(Duration.ofMillis(1));
            assertThat(WireFrame.decodeAll(ClientReplay.concat(client.writtenRecords())).stream()
                    .filter(frame -> !frame.isWaste()).toList())
                    .containsExactly(new WireFrame(Command.HEART_REQUEST, 0, new byte[0]));
            client.advanceTimeBy(Duration.ofMillis(2249));
            assertThat(client.isSessionOpen()).as("closed by %s", client.sessionClosures()).isTrue();
            client.advanceTimeBy(Duration.ofMillis(1));
            assertThat(client.isSessionOpen()).as("the 3 s SYNACK watchdog closed the session").isFalse();
            assertThat(client.writtenRecords()).as("a session close sends no FIN").isEmpty();
            assertThat(client.openOf(2).cause()).isInstanceOf(TransportException.class);
            assertThat(((TransportException) client.openOf(2).cause()).reason())
                .isEqualTo(TransportException.Reason.TIMEOUT);
            assertThat(client.sessionClosures()).hasSize(1);
        }
    }

    @Test
    void theStructureRulesOfTheReadme() {
        // Examples of the README: n > s1 cuts; 0 < n <= s1 pads unless within 7 bytes; c stops; pure Waste is s+7.
        List<Integer> pkt3 = List.of(9, 979);
        assertThat(ClientReplay.structureRuleRecordSizes(9, pkt3)).containsExactly(9, 986);
        assertThat(ClientReplay.structureRuleRecordSizes(7, List.of(9, 964))).containsExactly(7, 971);
        assertThat(ClientReplay.structureRuleRecordSizes(288, List.of(200, PaddingScheme.CHECK_MARK, 400)))
            .containsExactly(200, 400);
        assertThat(ClientReplay.structureRuleRecordSizes(78, List.of(50))).containsExactly(50, 28);
        assertThat(ClientReplay.structureRuleRecordSizes(78, List.of(474, PaddingScheme.CHECK_MARK, 600)))
            .containsExactly(474);
    }

    private static ClientReplay replay(Session session, ReplayClient client,
                                       AtomicReference<PaddingScheme> scheme) {
        GoldenRandom random = client.random();
        return new ClientReplay(session, client, scheme, random).run();
    }

    private static Map<Integer, String> received(ReplayClient client) {
        Map<Integer, String> hex = new LinkedHashMap<>();
        client.received().forEach((id, bytes) -> hex.put(id, HexFormat.of().formatHex(bytes)));
        return hex;
    }

    private static List<Integer> finStreamIds(ClientReplay replay) {
        return replay.sentFrames().stream().filter(frame -> frame.command() == Command.FIN)
            .map(WireFrame::streamId).toList();
    }

    private static Session session(String file, int number) {
        return GoldenConversation.load(file).sessions().stream().filter(session -> session.number() == number)
            .findFirst().orElseThrow(() -> new IllegalArgumentException(file + " has no session " + number));
    }
}
