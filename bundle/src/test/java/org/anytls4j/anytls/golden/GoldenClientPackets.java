package org.anytls4j.anytls.golden;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;

/**
 * The client records of a Go-client session grouped into padding packets (one logical write each), by the
 * {@code | pkt N} annotations of the capture.
 */
final class GoldenClientPackets {
    private static final Pattern PACKET = Pattern.compile("\\| pkt (\\d+)( continued)?");

    /**
     * One packet: its records, and whether the reference shaped it (its annotation names a rule) or sent it
     * unpadded. Packet 0 is the auth record.
     */
    record Packet(int number, List<Record> records, boolean shaped) {

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            records.forEach(record -> out.writeBytes(record.plaintext()));
            return out.toByteArray();
        }

        /** The frames of the packet; a packet always ends on a frame boundary. */
        List<WireFrame> frames() {
            return WireFrame.decodeAll(bytes());
        }

        List<WireFrame> framesWithoutWaste() {
            return frames().stream().filter(frame -> !frame.isWaste()).toList();
        }

        List<Integer> recordLengths() {
            return records.stream().map(Record::length).toList();
        }

        /**
         * The size each record stands for: its length, except for a pure-Waste record, whose size is its Waste
         * body (the record is size + 7, README "Sizes vs record sizes").
         */
        List<Integer> sizes() {
            List<Integer> sizes = new ArrayList<>();
            int offset = 0;
            List<Integer> frameStarts = new ArrayList<>();
            List<WireFrame> frames = frames();
            for (WireFrame frame : frames) {
                frameStarts.add(offset);
                offset += frame.wireLength();
            }
            int recordStart = 0;
            for (Record record : records) {
                int frameIndex = frameStarts.indexOf(recordStart);
                boolean pureWaste = frameIndex >= 0 && frames.get(frameIndex).isWaste()
                    && frames.get(frameIndex).wireLength() == record.length();
                sizes.add(pureWaste ? record.length() - WireFrame.HEADER_LENGTH : record.length());
                recordStart += record.length();
            }
            return sizes;
        }

        String label() {
            return "pkt " + number;
        }
    }

    private GoldenClientPackets() {
    }

    /**
     * The client's packets in order.
     *
     * @throws IllegalArgumentException if a client record has no packet annotation (not a Go-client session)
     */
    static List<Packet> of(Session session) {
        List<Packet> packets = new ArrayList<>();
        List<Record> current = null;
        int number = -1;
        boolean shaped = false;
        for (Record record : session.records(Direction.CLIENT)) {
            Matcher matcher = record.header() == null ? null : PACKET.matcher(record.header());
            if (matcher == null || !matcher.find()) {
                throw new IllegalArgumentException("client record at line " + record.line()
                    + " has no '| pkt N' annotation");
            }
            if (matcher.group(2) != null) {
                current.add(record);
                continue;
            }
            if (current != null) {
                packets.add(new Packet(number, current, shaped));
            }
            current = new ArrayList<>();
            current.add(record);
            number = Integer.parseInt(matcher.group(1));
            shaped = record.header().contains(": rule ");
        }
        if (current != null) {
            packets.add(new Packet(number, current, shaped));
        }
        return packets;
    }
}
