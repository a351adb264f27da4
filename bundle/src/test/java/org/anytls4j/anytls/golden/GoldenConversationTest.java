package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Marker;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.junit.jupiter.api.Test;

class GoldenConversationTest {

    private static final List<String> SAMPLE = List.of(
        "# anytls golden conversation: sample",
        "#   server  anytls-server",
        "#",
        "# @session 1 client_port=1 TLS1.3 TLS_AES_128_GCM_SHA256",
        "# @tls S handshake msg type 4 (NewSessionTicket) 122 bytes   t=+0.0ms",
        "# [C1] 2 bytes  t=+1.0ms",
        "#   auth: nothing",
        "C> 0102",
        "# [S1] 7 bytes  t=+2.0ms",
        "#   SYNACK sid=1 (success)",
        "S> 07000000010000",
        "C> 03",
        "# @eof C   t=+3.0ms  (TCP FIN from the client)",
        "# session 1: a trailing comment",
        "#   offset    0: not an annotation",
        "",
        "# @session 2 client_port=2",
        "# @rst S   t=+0.3ms");

    @Test
    void parsesSessionsRecordsAnnotationsAndMarkers() {
        GoldenConversation conversation = GoldenConversation.parse("sample.txt", SAMPLE);
        assertThat(conversation.headerComments()).hasSize(3);
        assertThat(conversation.sessions()).extracting(Session::number).containsExactly(1, 2);

        Session first = conversation.sessions().get(0);
        assertThat(first.records()).extracting(Record::direction)
            .containsExactly(Direction.CLIENT, Direction.SERVER, Direction.CLIENT);
        Record c1 = first.records().get(0);
        assertThat(c1.header()).isEqualTo("[C1] 2 bytes  t=+1.0ms");
        assertThat(c1.frameLines()).containsExactly("auth: nothing");
        assertThat(c1.line()).isEqualTo(8);
        assertThat(first.records().get(1).frameLines()).containsExactly("SYNACK sid=1 (success)");
        assertThat(first.records().get(2).header()).isNull();
        assertThat(first.clientBytes()).containsExactly(1, 2, 3);
        assertThat(first.serverBytes()).containsExactly(7, 0, 0, 0, 1, 0, 0);
        assertThat(first.markers()).extracting(Marker::kind, Marker::direction)
            .containsExactly(tuple("tls", Direction.SERVER),
                tuple("eof", Direction.CLIENT));
        assertThat(first.events()).hasSize(5);
        assertThat(first.comments()).containsExactly("# session 1: a trailing comment",
            "#   offset    0: not an annotation");

        Session second = conversation.sessions().get(1);
        assertThat(second.records()).isEmpty();
        assertThat(second.markers()).extracting(Marker::kind).containsExactly("rst");
    }

    @Test
    void recordsAreDefensiveCopies() {
        Record record = GoldenConversation.parse("x.txt", List.of("# @session 1", "C> 01")).sessions().get(0)
            .records().get(0);
        record.plaintext()[0] = 9;
        assertThat(record.plaintext()).containsExactly(1);
    }

    @Test
    void rejectsMalformedFiles() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> GoldenConversation.parse("x.txt", List.of("C> 00")))
            .withMessage("x.txt:1: record before the first '# @session' line");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> GoldenConversation.parse("x.txt", List.of("# @session 1", "hello")))
            .withMessage("x.txt:2: line is neither a comment nor a C>/S> record");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> GoldenConversation.parse("x.txt", List.of("# @session 1", "# [S1] 1 bytes", "C> 00")))
            .withMessageContaining("x.txt:3").withMessageContaining("CLIENT");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> GoldenConversation.parse("x.txt", List.of("# nothing")))
            .withMessage("x.txt: no '# @session' line");
    }

    @Test
    void aMissingDirectoryFailsWithTheProperty() {
        String previous = System.getProperty(GoldenConversation.DIRECTORY_PROPERTY);
        System.setProperty(GoldenConversation.DIRECTORY_PROPERTY, "/nonexistent/golden");
        try {
            assertThatIllegalStateException().isThrownBy(GoldenConversation::directory)
                .withMessageContaining("/nonexistent/golden")
                .withMessageContaining("-D" + GoldenConversation.DIRECTORY_PROPERTY);
        } finally {
            if (previous == null) {
                System.clearProperty(GoldenConversation.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(GoldenConversation.DIRECTORY_PROPERTY, previous);
            }
        }
    }

    @Test
    void loadsTheRealCaptures() {
        GoldenConversation unknown = GoldenConversation.load("unknown-command.txt");
        assertThat(unknown.sessions()).hasSize(2);
        assertThat(unknown.sessions().get(1).records(Direction.CLIENT)).hasSize(6);
        assertThat(unknown.sessions().get(1).records(Direction.CLIENT).get(2).frameLines())
            .containsExactly("UNKNOWN cmd=0x7f sid=0 len=3 data=414243");
    }
}
