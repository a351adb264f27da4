package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.golden.GoldenFrameStream.DecodedFrame;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The UDP-over-TCP streams of the golden captures, decoded with {@link SocksAddress} and {@link UdpOverTcp} from
 * the reassembled PSH payload of each direction, must show the requests and packets the annotations list.
 */
class GoldenUotTest {

    private static final Pattern REQUEST = Pattern.compile("UoT request: isConnect=(\\d+) destination=(\\S+)");
    private static final Pattern PACKET = Pattern.compile(
        "UoT packet: addr=(\\S+) \\(UoT family byte (\\d+)\\) len=(\\d+) data=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Stream<Arguments> uotStreams() {
        List<Arguments> streams = new ArrayList<>();
        for (String file : GoldenConversation.fileNames()) {
            for (Session session : GoldenConversation.load(file).sessions()) {
                GoldenFrameStream client = GoldenFrameStream.decode(session, Direction.CLIENT);
                client.frames().stream()
                    .filter(frame -> frame.command() == Command.PSH)
                    .map(DecodedFrame::streamId).distinct()
                    .filter(sid -> UdpOverTcp.version(destination(client, sid)) == 2)
                    .forEach(sid -> streams.add(Arguments.of(file, session.number(), sid)));
            }
        }
        return streams.stream();
    }

    @Test
    void theCapturesHoldUotStreams() {
        assertThat(uotStreams().map(arguments -> List.of(arguments.get()))).contains(
            List.of("udp-association.txt", 1, 1), List.of("udp-reused-late.txt", 1, 2));
    }

    @ParameterizedTest(name = "{0} session {1} sid {2}")
    @MethodSource("uotStreams")
    void uotPayloadsMatchTheAnnotations(String file, int sessionNumber, int streamId) {
        Session session = GoldenFramesTest.session(file, sessionNumber);
        for (Direction direction : Direction.values()) {
            GoldenFrameStream stream = GoldenFrameStream.decode(session, direction);
            ByteBuf payload = payload(stream, streamId);
            try {
                List<String> decoded = new ArrayList<>();
                if (direction == Direction.CLIENT) {
                    assertThat(SocksAddress.decode(payload)).isEqualTo(UdpOverTcp.V2_DESTINATION);
                    UdpOverTcp.Request request = UdpOverTcp.tryDecodeRequest(payload);
                    if (request != null) {
                        decoded.add(request(request.connect() ? 1 : 0, GoldenFramesTest.format(request.destination())));
                    }
                }
                for (UotPacket packet; ; ) {
                    int family = payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
                    packet = UdpOverTcp.tryDecodePacket(payload);
                    if (packet == null) {
                        break;
                    }
                    decoded.add(packet(GoldenFramesTest.format(packet.peer()), family,
                        packet.payload().toString(StandardCharsets.UTF_8)));
                    packet.release();
                }
                assertThat(payload.isReadable()).as("%s: UoT bytes left", direction).isFalse();
                assertThat(decoded).as("%s %s", file, direction).isEqualTo(annotated(session, direction, streamId));
            } finally {
                payload.release();
            }
        }
    }

    private static List<String> annotated(Session session, Direction direction, int streamId) {
        List<String> expected = new ArrayList<>();
        for (Record record : session.records(direction)) {
            for (String line : record.frameLines()) {
                if (!line.startsWith("PSH sid=" + streamId + " ")) {
                    continue;
                }
                Matcher request = REQUEST.matcher(line);
                if (request.find()) {
                    expected.add(request(Integer.parseInt(request.group(1)), request.group(2)));
                }
                Matcher packet = PACKET.matcher(line);
                while (packet.find()) {
                    String data = GoldenFramesTest.unescape(packet.group(4));
                    assertThat(data.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(packet.group(3)));
                    expected.add(packet(packet.group(1), Integer.parseInt(packet.group(2)), data));
                }
            }
        }
        return expected;
    }

    private static String request(int isConnect, String destination) {
        return "request isConnect=" + isConnect + " destination=" + destination;
    }

    private static String packet(String peer, int family, String data) {
        return "packet " + peer + " family=" + family + " data=" + data;
    }

    /** The stream's PSH bodies in order, as one buffer. */
    private static ByteBuf payload(GoldenFrameStream stream, int streamId) {
        ByteBuf payload = Unpooled.buffer();
        stream.frames().stream().filter(frame -> frame.command() == Command.PSH && frame.streamId() == streamId)
            .forEach(frame -> payload.writeBytes(frame.body()));
        return payload;
    }

    private static InetSocketAddress destination(GoldenFrameStream client, int streamId) {
        ByteBuf payload = payload(client, streamId);
        try {
            return SocksAddress.decode(payload);
        } finally {
            payload.release();
        }
    }
}
