package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.golden.GoldenFrameStream.DecodedFrame;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.anytls.wire.SocksAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden session, both directions, through {@link org.anytls4j.anytls.wire.FrameDecoder} record by record:
 * every byte must be accounted for, and the frames must be the ones the capture's annotations list, record by
 * record (a frame belongs to the record it starts in).
 */
class GoldenFramesTest {

    private static final Pattern SID_AND_LENGTH = Pattern.compile("\\bsid=(\\d+)(?: len=(\\d+))?");
    private static final Pattern UNKNOWN_COMMAND = Pattern.compile("^UNKNOWN cmd=0x([0-9a-fA-F]+)");
    private static final Pattern AUTH_PASSWORD = Pattern.compile("^auth: sha256\\(\"([^\"]*)\"\\)");
    private static final Pattern TEXT = Pattern.compile("text=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SCHEME_MD5 = Pattern.compile("scheme md5=([0-9a-f]{32})");
    private static final Pattern SOCKS_ADDRESS = Pattern.compile(" addr=(\\S+) \\(SOCKS ATYP");

    /** A frame as an annotation line describes it; {@code length} is 0 when the line names none. */
    private record AnnotatedFrame(String name, int streamId, int length, String line) {
    }

    static Stream<Arguments> sessionDirections() {
        List<Arguments> cases = new ArrayList<>();
        for (String file : GoldenConversation.fileNames()) {
            for (Session session : GoldenConversation.load(file).sessions()) {
                for (Direction direction : Direction.values()) {
                    cases.add(Arguments.of(file, session.number(), direction));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void theGoldenDirectoryHoldsTheCaptures() {
        assertThat(GoldenConversation.fileNames()).contains("tcp-two-streams.txt", "udp-association.txt",
            "unknown-command.txt", "wrong-password.txt", "heartbeat.txt", "padding-update.txt",
            "syn-before-settings.txt", "udp-reused-late.txt");
    }

    @ParameterizedTest(name = "{0} session {1} {2}")
    @MethodSource("sessionDirections")
    void everyByteIsAFrameAndTheFramesMatchTheAnnotations(String file, int sessionNumber, Direction direction)
        throws Exception {
        Session session = session(file, sessionNumber);
        List<Record> records = session.records(direction);
        GoldenFrameStream stream = GoldenFrameStream.decode(session, direction);

        assertThat(stream.accountedBytes()).as("bytes accounted for").isEqualTo(stream.totalBytes());
        if (direction == Direction.CLIENT && !records.isEmpty()) {
            assertAuthBlock(stream.authBlock(), records.get(0));
        }
        for (int i = 0; i < records.size(); i++) {
            int recordIndex = i;
            List<DecodedFrame> decoded = stream.frames().stream()
                .filter(frame -> frame.recordIndex() == recordIndex).toList();
            List<AnnotatedFrame> annotated = annotatedFrames(records.get(i));
            String where = file + ":" + records.get(i).line();
            assertThat(decoded.stream().map(GoldenFramesTest::describe).toList()).as(where)
                .isEqualTo(annotated.stream().map(GoldenFramesTest::describe).toList());
            for (int f = 0; f < decoded.size(); f++) {
                assertBody(decoded.get(f), annotated.get(f), where);
            }
        }
    }

    private static void assertAuthBlock(byte[] authBlock, Record firstRecord) {
        assertThat(authBlock).as("auth block").isNotNull();
        String password = firstRecord.frameLines().stream().map(AUTH_PASSWORD::matcher).filter(Matcher::find)
            .map(m -> m.group(1)).findFirst()
            .orElseThrow(() -> new AssertionError("no auth annotation at line " + firstRecord.line()));
        ByteBuf block = Unpooled.wrappedBuffer(authBlock);
        try {
            AuthBlock.Parse parse = AuthBlock.parse(block);
            assertThat(parse.totalLength()).isEqualTo(authBlock.length);
            assertThat(parse.hashMatches(AuthBlock.passwordHash(password))).as("hash of %s", password).isTrue();
            assertThat(AuthBlock.matches(AuthBlock.passwordHash(password), block, 0)).isTrue();
            for (int i = AuthBlock.HEADER_LENGTH; i < authBlock.length; i++) {
                assertThat(authBlock[i]).as("auth padding byte %d", i).isZero();
            }
        } finally {
            block.release();
        }
    }

    private static void assertBody(DecodedFrame frame, AnnotatedFrame annotation, String where) throws Exception {
        String line = annotation.line();
        String text = new String(frame.body(), StandardCharsets.UTF_8);
        switch (frame.command()) {
            case Command.WASTE -> assertThat(frame.body()).as(where + " Waste body").containsOnly(0);
            case Command.SETTINGS, Command.SERVER_SETTINGS -> {
                Map<String, String> parsed = Settings.parse(frame.body());
                assertThat(parsed).as(where + " " + line).isEqualTo(annotatedSettings(line));
                assertThat(Settings.version(parsed)).as(where).hasValue(2);
            }
            case Command.UPDATE_PADDING_SCHEME -> {
                Matcher md5 = SCHEME_MD5.matcher(line);
                assertThat(md5.find()).as(where + " md5 annotated").isTrue();
                byte[] digest = MessageDigest.getInstance("MD5").digest(frame.body());
                assertThat(HexFormat.of().formatHex(digest)).as(where).isEqualTo(md5.group(1));
            }
            case Command.PSH -> {
                Matcher address = SOCKS_ADDRESS.matcher(line);
                if (address.find()) {
                    ByteBuf body = Unpooled.wrappedBuffer(frame.body());
                    assertThat(format(SocksAddress.decode(body))).as(where).isEqualTo(address.group(1));
                    body.release();
                }
            }
            default -> {
            }
        }
        Matcher quoted = TEXT.matcher(line);
        if (quoted.find()) {
            assertThat(text).as(where + " text").isEqualTo(unescape(quoted.group(1)));
        }
    }

    private static List<AnnotatedFrame> annotatedFrames(Record record) {
        List<AnnotatedFrame> frames = new ArrayList<>();
        for (String line : record.frameLines()) {
            if (line.startsWith("auth:") || line.startsWith("...continuation")) {
                continue;
            }
            Matcher unknown = UNKNOWN_COMMAND.matcher(line);
            String name = unknown.find() ? Command.name(Integer.parseInt(unknown.group(1), 16))
                : line.substring(0, line.indexOf(' '));
            Matcher sid = SID_AND_LENGTH.matcher(line);
            if (!sid.find()) {
                throw new AssertionError("no sid in annotation line " + record.line() + ": " + line);
            }
            int length = sid.group(2) == null ? 0 : Integer.parseInt(sid.group(2));
            frames.add(new AnnotatedFrame(name, Integer.parseUnsignedInt(sid.group(1)), length, line));
        }
        return frames;
    }

    /** {@code "Settings sid=0 len=69: v=2 | client=x | padding-md5=y"} → its key/value pairs. */
    private static Map<String, String> annotatedSettings(String line) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : line.substring(line.indexOf(": ") + 2).split(" \\| ")) {
            int equals = pair.indexOf('=');
            settings.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return settings;
    }

    private static String describe(DecodedFrame frame) {
        return Command.name(frame.command()) + " sid=" + Integer.toUnsignedString(frame.streamId()) + " len="
            + frame.body().length;
    }

    private static String describe(AnnotatedFrame frame) {
        return frame.name() + " sid=" + Integer.toUnsignedString(frame.streamId()) + " len=" + frame.length();
    }

    static String format(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return address.getHostString() + ":" + address.getPort();
        }
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static String unescape(String escaped) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char next = escaped.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static Session session(String file, int number) {
        return GoldenConversation.load(file).sessions().stream().filter(s -> s.number() == number).findFirst()
            .orElseThrow(() -> new AssertionError(file + " has no session " + number));
    }
}
