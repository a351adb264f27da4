package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.anytls4j.anytls.golden.GoldenConversation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the client side of golden/padding-update.txt (anytls-go v0.0.13): every client write seen in the
 * capture, with its Waste removed, is shaped again and must come out as the very records the Go client sent.
 * The server's UpdatePaddingScheme frames replace the client's scheme at the point they appear, for the
 * running session and the next one, as anytls-go does.
 */
class GoldenPaddingUpdateTest {
    private static final Pattern SESSION = Pattern.compile("^# @session (\\d+) .*");
    private static final Pattern CLIENT_RECORD_NOTE = Pattern.compile("^# \\[C\\d+] (\\d+) bytes .*\\| pkt (\\d+)\\b.*");
    private static final Pattern SCHEME_HEX = Pattern.compile("^#\\s+hex: ([0-9a-f]+)$");
    private static final Pattern SCHEME_MD5 = Pattern.compile("^# Server padding scheme: .* md5 ([0-9a-f]{32}):$");
    private static final int CMD_WASTE = 0;
    private static final int CMD_UPDATE_PADDING_SCHEME = 6;

    /**
     * The only random size in the capture: session 1 packet 1 under the default rule 1=100-400, read off the
     * size of its record (C2, 345 bytes). Every other rule in force there is fixed ({@code n-n}).
     */
    private static final int GO_CLIENT_DRAW_SESSION_1_PACKET_1 = 345;

    private sealed interface Step permits Auth, ClientWrite, ServerRecord {
    }

    private record Auth(byte[] record) implements Step {
    }

    private record ClientWrite(int packet, List<byte[]> records) implements Step {
    }

    private record ServerRecord(byte[] record) implements Step {
    }

    @Test
    void goClientRecordsAreReproducedByteForByte() throws IOException {
        Path file = goldenDir().resolve("padding-update.txt");
        assertThat(file).as("golden file").isRegularFile();
        List<String> lines = Files.readAllLines(file);
        Map<Integer, List<Step>> sessions = parseSessions(lines);
        byte[] pushedSchemeInHeader = headerValue(lines, SCHEME_HEX);

        AtomicReference<PaddingScheme> clientScheme = new AtomicReference<>(PaddingScheme.DEFAULT);
        ScriptedRandom random = new ScriptedRandom().expect(100, 400, GO_CLIENT_DRAW_SESSION_1_PACKET_1);
        int writes = 0;
        int updates = 0;
        for (Map.Entry<Integer, List<Step>> session : sessions.entrySet()) {
            PacketShaper shaper = new PacketShaper(clientScheme::get, random);
            ByteArrayOutputStream serverStream = new ByteArrayOutputStream();
            for (Step step : session.getValue()) {
                if (step instanceof Auth auth) {
                    int padding = clientScheme.get().authPaddingLength(random);
                    assertThat(auth.record()).as("session %d auth record", session.getKey()).hasSize(34 + padding);
                    assertThat(((auth.record()[32] & 0xff) << 8) | (auth.record()[33] & 0xff)).isEqualTo(padding);
                } else if (step instanceof ServerRecord server) {
                    serverStream.writeBytes(server.record());
                    for (byte[] body : takeFrames(serverStream, CMD_UPDATE_PADDING_SCHEME)) {
                        PaddingScheme pushed = PaddingScheme.parseLenient(body);
                        assertThat(body).isEqualTo(pushedSchemeInHeader);
                        assertThat(pushed.md5Hex()).isEqualTo(headerMd5(lines));
                        clientScheme.set(pushed);
                        updates++;
                    }
                } else {
                    ClientWrite write = (ClientWrite) step;
                    replay(session.getKey(), shaper, write);
                    writes++;
                }
            }
        }

        random.assertExhausted();
        assertThat(updates).as("UpdatePaddingScheme frames seen").isEqualTo(1);
        assertThat(writes).as("client writes replayed").isEqualTo(10);
        assertThat(clientScheme.get().stop()).isEqualTo(4);
    }

    private static void replay(int session, PacketShaper shaper, ClientWrite write) {
        byte[] input = withoutWaste(concat(write.records()));
        List<ByteBuf> shaped = shaper.shape(ByteBufAllocator.DEFAULT, Records.buffer(input));
        try {
            List<byte[]> actual = shaped.stream().map(Records::bytes).toList();
            assertThat(actual).as("session %d packet %d records", session, write.packet())
                    .containsExactlyElementsOf(write.records());
        } finally {
            shaped.forEach(ByteBuf::release);
        }
        if (shaper.shaping()) {
            assertThat(shaper.packetCounter()).isEqualTo(write.packet());
        } else {
            assertThat(write.packet()).isGreaterThanOrEqualTo(shaper.packetCounter());
        }
    }

    /**
     * Splits the file into sessions of steps. A client write is placed where its first record appears, so
     * that a scheme update the server sent before it is applied first, as it was in the capture.
     */
    private static Map<Integer, List<Step>> parseSessions(List<String> lines) {
        Map<Integer, List<Step>> sessions = new LinkedHashMap<>();
        List<Step> steps = null;
        ClientWrite current = null;
        Integer notedPacket = null;
        for (String line : lines) {
            Matcher session = SESSION.matcher(line);
            Matcher note = CLIENT_RECORD_NOTE.matcher(line);
            if (session.matches()) {
                steps = new ArrayList<>();
                sessions.put(Integer.parseInt(session.group(1)), steps);
                current = null;
            } else if (note.matches()) {
                notedPacket = Integer.parseInt(note.group(2));
            } else if (line.startsWith("C> ")) {
                byte[] record = HexFormat.of().parseHex(line.substring(3).trim());
                assertThat(notedPacket).as("annotation before %s", line).isNotNull();
                if (notedPacket == 0) {
                    steps.add(new Auth(record));
                } else if (current != null && current.packet() == notedPacket) {
                    current.records().add(record);
                } else {
                    current = new ClientWrite(notedPacket, new ArrayList<>(List.of(record)));
                    steps.add(current);
                }
                notedPacket = null;
            } else if (line.startsWith("S> ")) {
                steps.add(new ServerRecord(HexFormat.of().parseHex(line.substring(3).trim())));
            }
        }
        assertThat(sessions).as("sessions in the golden file").hasSize(2);
        return sessions;
    }

    /** The write the client made: its frames without the Waste frames that padding added. */
    private static byte[] withoutWaste(byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        while (offset < stream.length) {
            assertThat(stream.length - offset).as("whole frame header at %d", offset).isGreaterThanOrEqualTo(7);
            int length = ((stream[offset + 5] & 0xff) << 8) | (stream[offset + 6] & 0xff);
            int end = offset + 7 + length;
            assertThat(end).as("whole frame body at %d", offset).isLessThanOrEqualTo(stream.length);
            if (stream[offset] != CMD_WASTE) {
                out.write(stream, offset, end - offset);
            }
            offset = end;
        }
        return out.toByteArray();
    }

    /** Removes the complete frames from the front of {@code stream}; returns the bodies of those with {@code cmd}. */
    private static List<byte[]> takeFrames(ByteArrayOutputStream stream, int cmd) {
        byte[] bytes = stream.toByteArray();
        List<byte[]> bodies = new ArrayList<>();
        int offset = 0;
        while (bytes.length - offset >= 7) {
            int length = ((bytes[offset + 5] & 0xff) << 8) | (bytes[offset + 6] & 0xff);
            if (bytes.length - offset - 7 < length) {
                break;
            }
            if (bytes[offset] == cmd) {
                bodies.add(Arrays.copyOfRange(bytes, offset + 7, offset + 7 + length));
            }
            offset += 7 + length;
        }
        stream.reset();
        stream.write(bytes, offset, bytes.length - offset);
        return bodies;
    }

    private static byte[] concat(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] headerValue(List<String> lines, Pattern pattern) {
        return HexFormat.of().parseHex(lines.stream().map(pattern::matcher).filter(Matcher::matches)
                .findFirst().orElseThrow(() -> new AssertionError("no header line matching " + pattern)).group(1));
    }

    private static String headerMd5(List<String> lines) {
        return HexFormat.of().formatHex(headerValue(lines, SCHEME_MD5));
    }

    private static Path goldenDir() {
        return GoldenConversation.directory();
    }
}
