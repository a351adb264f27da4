package org.anytls4j.anytls.wire;

import static org.anytls4j.anytls.wire.Bytes.ALLOC;
import static org.anytls4j.anytls.wire.Bytes.ascii;
import static org.anytls4j.anytls.wire.Bytes.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpOverTcpTest {

    private static final InetSocketAddress DNS = new InetSocketAddress(address("8.8.8.8"), 53);
    private static final InetSocketAddress V6 = new InetSocketAddress(address("2001:db8::53"), 5353);
    private static final InetSocketAddress NAMED = InetSocketAddress.createUnresolved("example.com", 9);

    /** A decoded datagram: peer (null in connect mode) and payload text. */
    private record Datagram(InetSocketAddress peer, String payload) {
    }

    @Test
    void requestRoundTripsInBothModes() {
        for (boolean connect : new boolean[] {true, false}) {
            ByteBuf out = Unpooled.buffer();
            UdpOverTcp.encodeRequest(out, connect, NAMED);
            assertThat(out.readableBytes()).isEqualTo(UdpOverTcp.requestLength(NAMED));
            assertThat(UdpOverTcp.tryDecodeRequest(out)).isEqualTo(new UdpOverTcp.Request(connect, NAMED));
            assertThat(out.isReadable()).isFalse();
            out.release();
        }
    }

    @Test
    void anyNonZeroIsConnectByteMeansConnectMode() {
        ByteBuf in = Bytes.fromHex("02" + "01080808080035");
        assertThat(UdpOverTcp.tryDecodeRequest(in).connect()).isTrue();
        in.release();
    }

    @Test
    void incompleteRequestIsNotConsumed() {
        ByteBuf whole = Unpooled.buffer();
        UdpOverTcp.encodeRequest(whole, false, NAMED);
        for (int available = 0; available < whole.readableBytes(); available++) {
            ByteBuf prefix = whole.slice(0, available);
            assertThat(UdpOverTcp.tryDecodeRequest(prefix)).as("%d bytes", available).isNull();
            assertThat(prefix.readerIndex()).isZero();
        }
        whole.release();
    }

    @Test
    void malformedRequestIsRejectedWithoutConsuming() {
        ByteBuf in = Bytes.fromHex("00" + "02" + "0000");
        assertThatThrownBy(() -> UdpOverTcp.tryDecodeRequest(in)).isInstanceOf(WireFormatException.class)
            .hasMessage("unknown SOCKS address type 0x02");
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void encodeRequestRejectsABadDomainBeforeWriting() {
        ByteBuf out = Unpooled.buffer();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> UdpOverTcp.encodeRequest(out, true, InetSocketAddress.createUnresolved("a b", 1)))
            .withMessageContaining("'a b'");
        assertThat(out.writerIndex()).isZero();
        out.release();
    }

    @Test
    void connectPacketsDecodeIncrementallyWhereverTheStreamIsSplit() {
        ByteBuf stream = Unpooled.buffer();
        List<Datagram> expected = new ArrayList<>();
        for (String payload : new String[] {"first", "", "x".repeat(1000)}) {
            appendAndRelease(stream, UdpOverTcp.connectPacket(ALLOC, ascii(payload)));
            expected.add(new Datagram(null, payload));
        }
        assertSplitsDecode(stream, true, expected);
        stream.release();
    }

    @Test
    void packetsDecodeIncrementallyWhereverTheStreamIsSplit() {
        ByteBuf stream = Unpooled.buffer();
        List<Datagram> expected = new ArrayList<>();
        for (InetSocketAddress peer : List.of(DNS, V6, NAMED)) {
            String payload = "to " + peer;
            appendAndRelease(stream, UdpOverTcp.packet(ALLOC, peer, ascii(payload)));
            expected.add(new Datagram(peer, payload));
        }
        assertSplitsDecode(stream, false, expected);
        stream.release();
    }

    @Test
    void packetsUseTheUotAddressFamilyNumbers() {
        assertThat(hexAndRelease(UdpOverTcp.packet(ALLOC, DNS, Unpooled.EMPTY_BUFFER))).startsWith("00");
        assertThat(hexAndRelease(UdpOverTcp.packet(ALLOC, V6, Unpooled.EMPTY_BUFFER))).startsWith("01");
        assertThat(hexAndRelease(UdpOverTcp.packet(ALLOC, NAMED, Unpooled.EMPTY_BUFFER))).startsWith("020b");
    }

    @Test
    void socksDomainTypeIsUnknownInUotNumbering() {
        ByteBuf in = Bytes.fromHex("03" + "0b6578616d706c652e636f6d" + "0035" + "0000");
        assertThatThrownBy(() -> UdpOverTcp.tryDecodePacket(in)).isInstanceOf(WireFormatException.class)
            .hasMessage("unknown UoT address type 0x03");
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void badDomainInAPacketIsRejected() {
        ByteBuf in = Bytes.fromHex("02" + "03313233" + "0035" + "0000");
        assertThatThrownBy(() -> UdpOverTcp.tryDecodePacket(in)).isInstanceOf(WireFormatException.class)
            .hasMessageContaining("UoT address domain '123'");
        in.release();
    }

    @Test
    void payloadsLargerThan65535AreRefusedAndReleased() {
        ByteBuf tooBig = ALLOC.buffer(65536).writeZero(65536);
        assertThatIllegalArgumentException().isThrownBy(() -> UdpOverTcp.connectPacket(ALLOC, tooBig))
            .withMessageContaining("65536");
        assertThat(tooBig.refCnt()).isZero();

        ByteBuf alsoTooBig = ALLOC.buffer(65536).writeZero(65536);
        assertThatIllegalArgumentException().isThrownBy(() -> UdpOverTcp.packet(ALLOC, DNS, alsoTooBig))
            .withMessageContaining("65536");
        assertThat(alsoTooBig.refCnt()).isZero();

        ByteBuf max = UdpOverTcp.connectPacket(ALLOC, ALLOC.buffer(65535).writeZero(65535));
        assertThat(max.readableBytes()).isEqualTo(2 + 65535);
        max.release();
    }

    @Test
    void packetForABadDomainReleasesThePayload() {
        ByteBuf payload = ALLOC.buffer().writeByte(1);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> UdpOverTcp.packet(ALLOC, InetSocketAddress.createUnresolved("-x", 1), payload));
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void encodersHoldThePayloadWithoutCopying() {
        ByteBuf payload = ALLOC.buffer().writeBytes(new byte[] {1, 2, 3});
        ByteBuf packet = UdpOverTcp.packet(ALLOC, DNS, payload);
        payload.setByte(0, 9);
        assertThat(hexAndRelease(packet)).isEqualTo("00080808080035" + "0003" + "090203");
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void decodedPayloadsAreSlicesOwnedByTheCaller() {
        ByteBuf in = Bytes.fromHex("0003616263");
        ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(in);
        assertThat(in.refCnt()).isEqualTo(2);
        payload.release();
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void magicDestinationsAreRecognisedExactly() {
        assertThat(UdpOverTcp.version(UdpOverTcp.V2_DESTINATION)).isEqualTo(2);
        assertThat(UdpOverTcp.version(UdpOverTcp.V1_DESTINATION)).isEqualTo(1);
        assertThat(UdpOverTcp.version(InetSocketAddress.createUnresolved("x.sp.v2.udp-over-tcp.arpa", 0))).isZero();
        assertThat(UdpOverTcp.version(DNS)).isZero();
    }

    @Test
    void packetToStringHidesThePayload() {
        UotPacket packet = new UotPacket(DNS, ascii("secret"));
        assertThat(packet.toString()).doesNotContain("secret").contains("len=6");
        UotPacket duplicate = packet.retainedDuplicate();
        assertThat(duplicate).isEqualTo(packet);
        assertThat(duplicate.peer()).isEqualTo(DNS);
        duplicate.release();
        packet.release();
        assertThat(packet.refCnt()).isZero();
    }

    /** Feeds the stream in two parts split at every offset and decodes incrementally after each part. */
    private static void assertSplitsDecode(ByteBuf stream, boolean connectMode, List<Datagram> expected) {
        byte[] bytes = ByteBufUtil.getBytes(stream);
        for (int split = 0; split <= bytes.length; split++) {
            ByteBuf cumulation = Unpooled.buffer(bytes.length);
            List<Datagram> decoded = new ArrayList<>();
            cumulation.writeBytes(bytes, 0, split);
            decodeAvailable(cumulation, connectMode, decoded);
            cumulation.writeBytes(bytes, split, bytes.length - split);
            decodeAvailable(cumulation, connectMode, decoded);

            assertThat(decoded).as("split at %d", split).isEqualTo(expected);
            assertThat(cumulation.isReadable()).isFalse();
            cumulation.release();
        }
    }

    private static void decodeAvailable(ByteBuf in, boolean connectMode, List<Datagram> decoded) {
        while (true) {
            int before = in.readerIndex();
            if (connectMode) {
                ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(in);
                if (payload == null) {
                    assertThat(in.readerIndex()).isEqualTo(before);
                    return;
                }
                decoded.add(new Datagram(null, payload.toString(StandardCharsets.US_ASCII)));
                payload.release();
            } else {
                UotPacket packet = UdpOverTcp.tryDecodePacket(in);
                if (packet == null) {
                    assertThat(in.readerIndex()).isEqualTo(before);
                    return;
                }
                decoded.add(new Datagram(packet.peer(), packet.payload().toString(StandardCharsets.US_ASCII)));
                packet.release();
            }
        }
    }

    private static void appendAndRelease(ByteBuf stream, ByteBuf encoded) {
        stream.writeBytes(encoded);
        encoded.release();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
