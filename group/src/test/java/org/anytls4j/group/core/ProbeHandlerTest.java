package org.anytls4j.group.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeHandlerTest {
    private final List<String> outcomes = new ArrayList<>();

    private EmbeddedChannel probe() {
        return new EmbeddedChannel(new ProbeHandler("probe.test", "/generate_204",
                (status, problem) -> outcomes.add(status + " " + problem)));
    }

    @Test
    void sendsAGetAndReportsTheStatusOfTheFirstLine() {
        EmbeddedChannel channel = probe();
        ByteBuf sent = channel.readOutbound();
        assertThat(sent.toString(StandardCharsets.US_ASCII))
                .startsWith("GET /generate_204 HTTP/1.1\r\nHost: probe.test\r\n").endsWith("\r\n\r\n");
        sent.release();

        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 20", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("4 No Content\r\nDate: x\r\n", StandardCharsets.US_ASCII));

        assertThat(outcomes).containsExactly("204 null");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void somethingElseThanHttpIsAFailedProbe() {
        EmbeddedChannel channel = probe();
        ((ByteBuf) channel.readOutbound()).release();
        channel.writeInbound(Unpooled.copiedBuffer("SSH-2.0-x\r\n", StandardCharsets.US_ASCII));
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0)).startsWith("-1 not an HTTP status line");
    }

    @Test
    void aStreamThatClosesFirstIsAFailedProbe() {
        EmbeddedChannel channel = probe();
        ((ByteBuf) channel.readOutbound()).release();
        channel.close();
        assertThat(outcomes).containsExactly("-1 the stream closed before an HTTP status line");
    }

    @Test
    void theExpectedStatusDecides() {
        assertThat(Prober.statusAccepted(204, 0)).isTrue();
        assertThat(Prober.statusAccepted(302, 0)).isTrue();
        assertThat(Prober.statusAccepted(404, 0)).isFalse();
        assertThat(Prober.statusAccepted(200, 204)).isFalse();
        assertThat(Prober.statusAccepted(204, 204)).isTrue();
    }
}
