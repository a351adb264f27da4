package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.Promise;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.anytls.golden.GoldenClientPackets.Packet;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Event;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.SocksAddress;

/**
 * Drives a {@link ReplayClient} the way the reference client was driven in one golden session and compares every
 * write with the reference client's packet.
 *
 * <p>Each client packet of the capture is turned back into the application action behind it: packet 1
 * (Settings + SYN + PSH(address)) is the first open; a lone SYN on a reused session plus the next packet (the
 * address) is a later open; a PSH is one application write of the same bytes, a FIN the application closing the
 * stream. Server records are fed in capture order. Our client hands a stream to its application only once the
 * SYNACK arrived, while the reference lets it write earlier; a write on a stream that is not open yet therefore
 * first takes the server records up to the SYNACK (udp-reused-late.txt, pkt 2).
 *
 * <p>For each packet it asserts: the frames after Waste is stripped equal the reference's (Settings as a map
 * without {@code client}; a reused session's SYN goes out alone, as the reference's does); a
 * shaped packet's record sizes follow the README structure rules for the sizes drawn, and equal the reference's
 * when the random sizes are the reference's; a packet past {@code stop} is one unpadded record, byte for byte the
 * reference's. Feeding a server record must not make the client write anything (no FIN echo).
 */
final class ClientReplay {
    static final byte[] PASSWORD_HASH = AuthBlock.passwordHash("golden-pw");

    private final Session session;
    private final ReplayClient client;
    private final AtomicReference<PaddingScheme> scheme;
    private final GoldenRandom random;
    private final List<Event> events;
    private final Set<Integer> fedServerLines = new HashSet<>();
    private final List<String> pulledForward = new ArrayList<>();
    private int nextPacketNumber;
    private final List<WireFrame> sentFrames = new ArrayList<>();
    private final List<Packet> packets;

    ClientReplay(Session session, ReplayClient client, AtomicReference<PaddingScheme> scheme, GoldenRandom random) {
        this.session = session;
        this.client = client;
        this.scheme = scheme;
        this.random = random;
        this.events = session.events();
        this.packets = GoldenClientPackets.of(session);
    }

    /** Replays the whole session; assertion failures name the packet or server record. */
    ClientReplay run() {
        assertAuthBlock(packets.get(0));
        Map<Integer, Packet> byFirstLine = new HashMap<>();
        packets.forEach(packet -> byFirstLine.put(packet.records().get(0).line(), packet));
        int lastProduced = 0;
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof Record record)) {
                continue;
            }
            if (record.direction() == Direction.SERVER) {
                if (fedServerLines.add(record.line())) {
                    feed(record);
                }
                continue;
            }
            Packet packet = byFirstLine.get(record.line());
            if (packet != null && packet.number() > lastProduced) {
                lastProduced = act(packet, i);
            }
        }
        assertThat(lastProduced).as("last packet replayed").isEqualTo(packets.get(packets.size() - 1).number());
        nextPacketNumber = lastProduced + 1;
        assertThat(random.unusedDraws()).as("planned size draws the shaper never made").isEmpty();
        return this;
    }

    /** The number the client's next write gets as a packet (for the padding scheme), once the replay ran. */
    int nextPacketNumber() {
        return nextPacketNumber;
    }

    /** Every non-Waste frame our client sent. */
    List<WireFrame> sentFrames() {
        return sentFrames;
    }

    /** Server records fed before their place in the capture, because our stream waited for its SYNACK. */
    List<String> pulledForward() {
        return pulledForward;
    }

    /** The PSH payload the reference server sent, per stream id, as hex. */
    Map<Integer, String> serverPayloadByStream() {
        Map<Integer, ByteArrayOutputStream> payload = new LinkedHashMap<>();
        for (WireFrame frame : WireFrame.decodeAll(session.serverBytes())) {
            if (frame.command() == Command.PSH) {
                payload.computeIfAbsent(frame.streamId(), id -> new ByteArrayOutputStream()).writeBytes(frame.body());
            }
        }
        Map<Integer, String> hex = new LinkedHashMap<>();
        payload.forEach((id, bytes) -> hex.put(id, HexFormat.of().formatHex(bytes.toByteArray())));
        return hex;
    }

    // ---- actions ----

    /** Performs the application action behind {@code packet}; returns the number of the last packet it made. */
    private int act(Packet packet, int eventIndex) {
        List<WireFrame> frames = packet.framesWithoutWaste();
        WireFrame first = frames.get(0);
        switch (first.command()) {
            case Command.SETTINGS: {
                assertThat(frames).as("%s: Settings, SYN, PSH(address)", packet.label()).hasSize(3);
                int streamId = frames.get(1).streamId();
                List<Integer> planned = random.plan(scheme.get(), packet.number(), packet.sizes());
                client.open(streamId, address(frames.get(2)), false);
                compare(List.of(packet), List.of(planned));
                return packet.number();
            }
            case Command.SYN: {
                Packet addressPacket = packets.get(packets.indexOf(packet) + 1);
                List<WireFrame> addressFrames = addressPacket.framesWithoutWaste();
                assertThat(frames).as("%s: a lone SYN on a reused session", packet.label()).hasSize(1);
                assertThat(addressFrames).as("%s: the address", addressPacket.label()).hasSize(1);
                List<Integer> synPlan = random.plan(scheme.get(), packet.number(), packet.sizes());
                List<Integer> addressPlan = random.plan(scheme.get(), addressPacket.number(), addressPacket.sizes());
                client.open(first.streamId(), address(addressFrames.get(0)), true);
                compare(List.of(packet, addressPacket), List.of(synPlan, addressPlan));
                return addressPacket.number();
            }
            case Command.PSH: {
                assertThat(frames).as("%s: one application write", packet.label()).hasSize(1);
                waitUntilOpen(first.streamId(), eventIndex);
                List<Integer> planned = random.plan(scheme.get(), packet.number(), packet.sizes());
                client.write(first.streamId(), first.body());
                compare(List.of(packet), List.of(planned));
                return packet.number();
            }
            case Command.FIN: {
                assertThat(frames).as("%s: the application closing its stream", packet.label()).hasSize(1);
                List<Integer> planned = random.plan(scheme.get(), packet.number(), packet.sizes());
                client.close(first.streamId());
                compare(List.of(packet), List.of(planned));
                return packet.number();
            }
            default:
                throw new AssertionError(packet.label() + ": no application action sends " + frames);
        }
    }

    private static InetSocketAddress address(WireFrame psh) {
        ByteBuf body = Unpooled.wrappedBuffer(psh.body());
        try {
            InetSocketAddress address = SocksAddress.decode(body);
            assertThat(body.isReadable()).as("the address PSH holds only the address").isFalse();
            return address;
        } finally {
            body.release();
        }
    }

    private void waitUntilOpen(int streamId, int eventIndex) {
        Promise<AnyTlsStream> open = client.openOf(streamId);
        for (int j = eventIndex + 1; !open.isDone() && j < events.size(); j++) {
            if (events.get(j) instanceof Record record && record.direction() == Direction.SERVER
                && fedServerLines.add(record.line())) {
                pulledForward.add(label(record));
                feed(record);
            }
        }
        assertThat(open.isSuccess()).as("stream %d opened (%s)", streamId, open.cause()).isTrue();
    }

    private void feed(Record record) {
        client.receive(record.plaintext());
        assertThat(client.writtenRecords()).as("what our client wrote in answer to %s", label(record)).isEmpty();
    }

    // ---- comparison ----

    private void assertAuthBlock(Packet auth) {
        assertThat(auth.number()).isZero();
        // What ClientSessionConnector writes as packet 0: padding0 comes from rule 0 of the scheme in force.
        ByteBuf block = AuthBlock.encode(UnpooledByteBufAllocator.DEFAULT, PASSWORD_HASH,
            scheme.get().authPaddingLength(random));
        try {
            assertThat(ByteBufUtil.getBytes(block)).as("pkt 0, the auth record").isEqualTo(auth.bytes());
        } finally {
            block.release();
        }
    }

    private void compare(List<Packet> golden, List<List<Integer>> planned) {
        List<List<byte[]>> ours = splitIntoWrites(client.writtenRecords());
        assertThat(ours).as("writes for %s", golden.stream().map(Packet::label).toList()).hasSize(golden.size());
        for (int k = 0; k < golden.size(); k++) {
            assertPacket(golden.get(k), ours.get(k), planned.get(k));
        }
    }

    /**
     * A reused session's SYN is compared like any packet: our liveness HeartRequest goes out only after a quiet
     * quarter of the SYNACK timeout, which a replay never reaches, so the write is the reference's byte for byte.
     */
    private void assertPacket(Packet golden, List<byte[]> records, List<Integer> planned) {
        String label = golden.label();
        List<WireFrame> frames = WireFrame.decodeAll(concat(records));
        List<WireFrame> payload = new ArrayList<>(frames.stream().filter(frame -> !frame.isWaste()).toList());
        int payloadLength = payload.stream().mapToInt(WireFrame::wireLength).sum();
        sentFrames.addAll(payload);
        assertThat(comparable(payload)).as("%s: frames without Waste", label)
            .containsExactlyElementsOf(comparable(golden.framesWithoutWaste()));

        List<Integer> lengths = records.stream().map(record -> record.length).toList();
        assertThat(!planned.isEmpty()).as("%s is shaped (packet number below the stop of the scheme in force)",
            label).isEqualTo(golden.shaped());
        if (golden.shaped()) {
            assertThat(lengths).as("%s: record sizes by the README structure rules for sizes %s", label, planned)
                .isEqualTo(structureRuleRecordSizes(payloadLength, planned));
            assertThat(lengths).as("%s: record sizes of the reference", label).isEqualTo(golden.recordLengths());
        } else {
            assertThat(records).as("%s: one unpadded record", label).hasSize(1);
            assertThat(frames).as("%s: no Waste", label).noneMatch(WireFrame::isWaste);
            assertThat(records.get(0)).as("%s: bytes of the reference", label).isEqualTo(golden.bytes());
        }
    }

    /**
     * The README "structure rules for shaped client records": a write of {@code n} bytes under sizes s1, s2, ...
     * (check marks as {@link PaddingScheme#CHECK_MARK}).
     */
    static List<Integer> structureRuleRecordSizes(int n, List<Integer> sizes) {
        List<Integer> records = new ArrayList<>();
        int left = n;
        for (int size : sizes) {
            if (size == PaddingScheme.CHECK_MARK) {
                if (left == 0) {
                    return records;
                }
            } else if (left > size) {
                records.add(size);
                left -= size;
            } else if (left > 0) {
                records.add(size - left - WireFrame.HEADER_LENGTH > 0 ? size : left);
                left = 0;
            } else {
                records.add(size + WireFrame.HEADER_LENGTH);
            }
        }
        if (left > 0) {
            records.add(left);
        }
        return records;
    }

    /**
     * Groups records into writes with the README's inference: a write starts at a record that begins on a frame
     * boundary with a non-Waste frame. Exact for our client too, since no record of one write begins with one.
     */
    private static List<List<byte[]>> splitIntoWrites(List<byte[]> records) {
        Map<Integer, Integer> commandAt = new HashMap<>();
        int offset = 0;
        for (WireFrame frame : WireFrame.decodeAll(concat(records))) {
            commandAt.put(offset, frame.command());
            offset += frame.wireLength();
        }
        List<List<byte[]>> writes = new ArrayList<>();
        offset = 0;
        for (byte[] record : records) {
            Integer command = commandAt.get(offset);
            if (writes.isEmpty() || command != null && command != Command.WASTE) {
                writes.add(new ArrayList<>());
            }
            writes.get(writes.size() - 1).add(record);
            offset += record.length;
        }
        return writes;
    }

    private static List<String> comparable(List<WireFrame> frames) {
        return frames.stream().map(WireFrame::comparable).toList();
    }

    static byte[] concat(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static String label(Record record) {
        String header = record.header();
        return header == null ? "line " + record.line() : header.substring(0, header.indexOf(']') + 1);
    }
}
