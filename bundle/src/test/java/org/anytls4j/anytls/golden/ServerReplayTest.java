package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Event;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.wire.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays what reference clients sent (the {@code C>} records, one TLS record at a time) into our server engine
 * and compares its answers with what the reference server (anytls-go v0.0.13) sent, byte for byte.
 *
 * <p>The streams' targets are scripted ({@link ConnectAtOnceStreamHandler}): they connect at once and never send
 * data or close, so the server's PSH and FIN frames, which depend on the real targets, are not compared. What is
 * compared: ServerSettings, UpdatePaddingScheme, HeartResponse and Alert in the same place as the reference (after
 * the same client record), and the order and bytes of those frames and of every SYNACK. A SYNACK's exact place
 * depends on how fast the target answered (udp-reused-late.txt lists the reference's SYNACK after the client's next
 * record), so only its order among the server's frames is compared.
 */
class ServerReplayTest {
    /** Server frames that do not depend on the target: they must match exactly. */
    private static final Set<Integer> DETERMINISTIC = Set.of(Command.SERVER_SETTINGS, Command.UPDATE_PADDING_SCHEME,
        Command.SYNACK, Command.HEART_RESPONSE, Command.ALERT);

    @ParameterizedTest(name = "{0} session {1}")
    @CsvSource({
        "tcp-two-streams.txt, 1",
        "padding-update.txt, 1",
        "padding-update.txt, 2",
        "heartbeat.txt, 1",
        "unknown-command.txt, 1",
        "udp-association.txt, 1",
        "udp-reused-late.txt, 1",
    })
    void theServerAnswersAReferenceClientLikeTheReferenceServer(String file, int sessionNumber) {
        GoldenConversation conversation = GoldenConversation.load(file);
        Session session = session(conversation, sessionNumber);
        try (ReplayServer server = new ReplayServer(GoldenSchemes.serverScheme(conversation))) {
            Replay replay = replay(session, server);

            assertThat(replay.actualAnswers).as("answers to client records, by the record they follow")
                .containsExactlyElementsOf(replay.expectedAnswers);
            assertThat(replay.actualSequence).as("every target-independent server frame, in order")
                .containsExactlyElementsOf(replay.expectedSequence);
            assertThat(replay.actualOther)
                .as("no PSH and no FIN: the scripted targets send nothing, so a FIN would echo the client's FIN")
                .isEmpty();
            assertThat(server.openedStreams()).as("streams opened").containsExactlyElementsOf(synStreamIds(session));
            assertThat(server.isOpen()).as("the server never closes these sessions itself").isTrue();
        }
    }

    @ParameterizedTest(name = "{0} session {1}")
    @CsvSource({
        "tcp-two-streams.txt, 1",
        "padding-update.txt, 1",
        "padding-update.txt, 2",
        "udp-association.txt, 1",
    })
    void aClientFinIsNeverAnsweredWithAFin(String file, int sessionNumber) {
        GoldenConversation conversation = GoldenConversation.load(file);
        Session session = session(conversation, sessionNumber);
        Set<Integer> recordsWithFin = GoldenFrameStream.decode(session, Direction.CLIENT).frames().stream()
            .filter(frame -> frame.command() == Command.FIN).map(frame -> frame.recordIndex())
            .collect(Collectors.toSet());
        assertThat(recordsWithFin).as("client records holding a FIN").hasSize(1);
        try (ReplayServer server = new ReplayServer(GoldenSchemes.serverScheme(conversation))) {
            List<Record> client = session.records(Direction.CLIENT);
            for (int i = 0; i < client.size(); i++) {
                server.receive(client.get(i).plaintext());
                List<WireFrame> answer = server.writtenFrames();
                if (recordsWithFin.contains(i)) {
                    assertThat(answer).as("answer to the client's FIN in %s", label(client.get(i))).isEmpty();
                }
            }
            assertThat(server.isOpen()).as("a stream's FIN does not end the session").isTrue();
        }
    }

    /**
     * unknown-command.txt session 2: cmd 0x7f with a 3-byte body. The reference does not consume the body and
     * desyncs: it opens bogus streams 512, 459135 and 1971324928 and never answers the real SYN/PSH or the
     * HeartRequest. We deliberately deviate (spec §5.3 recommendation): the body is consumed, so the real stream
     * gets its SYNACK and the HeartRequest its HeartResponse. Only ServerSettings matches the reference here.
     */
    @Test
    void anUnknownCommandWithABodyIsConsumedInsteadOfDesyncingLikeTheReference() {
        GoldenConversation conversation = GoldenConversation.load("unknown-command.txt");
        Session session = session(conversation, 2);
        try (ReplayServer server = new ReplayServer(GoldenSchemes.serverScheme(conversation))) {
            Replay replay = replay(session, server);

            assertThat(replay.expectedSequence).as("the reference only sent ServerSettings")
                .containsExactly("ServerSettings 0a000000000003763d32");
            assertThat(replay.actualAnswers).containsExactly(
                "after [C2]: ServerSettings 0a000000000003763d32",
                "after [C6]: HeartResponse 09000000000000");
            assertThat(replay.actualSequence).containsExactly(
                "ServerSettings 0a000000000003763d32",
                "SYNACK 07000000010000",
                "HeartResponse 09000000000000");
            assertThat(server.openedStreams()).as("no bogus streams from a desync").containsExactly("1");
            assertThat(server.reportedDestinations()).containsExactly("1 127.0.0.1:30080");
            assertThat(server.isOpen()).isTrue();
        }
    }

    @Test
    void aSynBeforeSettingsGetsExactlyTheReferenceAlertAndTheSessionCloses() {
        GoldenConversation conversation = GoldenConversation.load("syn-before-settings.txt");
        Session session = session(conversation, 1);
        List<Record> client = session.records(Direction.CLIENT);
        assertThat(client).hasSize(2);
        try (ReplayServer server = new ReplayServer(GoldenSchemes.serverScheme(conversation))) {
            server.receive(client.get(0).plaintext());
            assertThat(server.written()).as("nothing in answer to the auth block").isEmpty();
            server.receive(client.get(1).plaintext());

            assertThat(server.written()).as("exactly the reference's alert record")
                .isEqualTo(session.serverBytes());
            assertThat(server.isOpen()).as("closed after the alert, like the reference").isFalse();
            assertThat(server.openedStreams()).isEmpty();
        }
    }

    @Test
    void aWrongPasswordGetsNoAnyTlsByteAndTheConnectionCloses() {
        GoldenConversation conversation = GoldenConversation.load("wrong-password.txt");
        Session session = session(conversation, 1);
        assertThat(session.serverBytes()).as("the reference sent no AnyTLS byte").isEmpty();
        try (ReplayServer server = new ReplayServer(GoldenSchemes.serverScheme(conversation))) {
            // The reference reads exactly one record (the auth record) and closes.
            server.receive(session.records(Direction.CLIENT).get(0).plaintext());

            assertThat(server.written()).isEmpty();
            assertThat(server.isOpen()).isFalse();
            assertThat(server.authenticationFailures()).containsExactly("unknown password hash");
            assertThat(server.openedStreams()).isEmpty();
        }
    }

    // ---- replay ----

    /** What the reference server sent and what ours sent, as comparable lines. */
    private static final class Replay {
        final List<String> expectedAnswers = new ArrayList<>();
        final List<String> actualAnswers = new ArrayList<>();
        final List<String> expectedSequence = new ArrayList<>();
        final List<String> actualSequence = new ArrayList<>();
        final List<String> actualOther = new ArrayList<>();
    }

    /** Feeds the client records in capture order and sorts both sides' server frames into the comparable lines. */
    private static Replay replay(Session session, ReplayServer server) {
        Replay replay = new Replay();
        String after = "before any client record";
        for (Event event : session.events()) {
            if (!(event instanceof Record record)) {
                continue;
            }
            if (record.direction() == Direction.CLIENT) {
                server.receive(record.plaintext());
                after = label(record);
                for (WireFrame frame : server.writtenFrames()) {
                    sort(frame, after, replay.actualAnswers, replay.actualSequence, replay.actualOther);
                }
            } else {
                // The reference server writes one frame per record and never pads.
                for (WireFrame frame : WireFrame.decodeAll(record.plaintext())) {
                    sort(frame, after, replay.expectedAnswers, replay.expectedSequence, new ArrayList<>());
                }
            }
        }
        return replay;
    }

    private static void sort(WireFrame frame, String after, List<String> answers, List<String> sequence,
                             List<String> other) {
        if (!DETERMINISTIC.contains(frame.command())) {
            other.add(after + ": " + frame);
            return;
        }
        String line = frame.comparable();
        sequence.add(line);
        if (frame.command() != Command.SYNACK) {
            answers.add("after " + after + ": " + line);
        }
    }

    /** {@code [C3]} from the record's annotation header. */
    private static String label(Record record) {
        String header = record.header();
        return header == null ? "line " + record.line() : header.substring(0, header.indexOf(']') + 1);
    }

    /** Stream ids of the client's SYN frames, in order. */
    private static List<String> synStreamIds(Session session) {
        return GoldenFrameStream.decode(session, Direction.CLIENT).frames().stream()
            .filter(frame -> frame.command() == Command.SYN)
            .map(frame -> Integer.toUnsignedString(frame.streamId()))
            .toList();
    }

    private static Session session(GoldenConversation conversation, int number) {
        return conversation.sessions().stream().filter(session -> session.number() == number).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(conversation.fileName() + " has no session " + number));
    }
}
