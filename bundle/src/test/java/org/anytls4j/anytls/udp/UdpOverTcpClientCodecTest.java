package org.anytls4j.anytls.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.anytls4j.anytls.client.UdpOverTcpClientCodec;
import org.anytls4j.anytls.wire.WireFormatException;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's datagram codec on its own, against the §17 UoT vectors and malformed input. */
class UdpOverTcpClientCodecTest {
    private static final Duration NOW = Duration.ofMillis(1);
    private static final String ABCDEF = "abcdef";
    private static final Destination DNS = Destination.ofHost("8.8.8.8", 53);
    private static final Destination LOOPBACK6 = Destination.ofHost("::1", 53);
    private static final Destination EXAMPLE = Destination.ofHost("example.com", 53);
    /** §17 vector 18, non-connect packets to 8.8.8.8:53, [::1]:53 and example.com:53, back to back. */
    private static final String THREE_PACKETS = "000808080800350003abcdef"
            + "010000000000000000000000000000000100350003abcdef"
            + "020b6578616d706c652e636f6d00350003abcdef";

    private final DatagramCollector host = new DatagramCollector();
    private EmbeddedChannel channel;

    private EmbeddedChannel codec(UdpMode mode, Destination destination) {
        channel = new EmbeddedChannel(new UdpOverTcpClientCodec(mode, destination), host);
        return channel;
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static TransportDatagram datagram(String hex, Destination peer) {
        return new TransportDatagram(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)), peer);
    }

    private String outboundHex() {
        StringBuilder hex = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            hex.append(ByteBufUtil.hexDump(out));
            out.release();
        }
        return hex.toString();
    }

    private void feed(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    @Test
    void connectModeWritesVector18AndIgnoresTheDatagramsOwnPeer() {
        codec(UdpMode.CONNECTED, DNS);
        channel.writeOutbound(datagram(ABCDEF, EXAMPLE));
        assertThat(outboundHex()).isEqualTo("0003abcdef");
    }

    @Test
    void associationModeWritesVector18ForEachAddressType() {
        codec(UdpMode.ASSOCIATION, Destination.ofHostAnyPort("0.0.0.0", 0));
        channel.writeOutbound(datagram(ABCDEF, DNS), datagram(ABCDEF, LOOPBACK6), datagram(ABCDEF, EXAMPLE));
        assertThat(outboundHex()).isEqualTo(THREE_PACKETS);
    }

    @Test
    void connectModeRepliesCarryTheDestinationAsTheHostNamedIt() throws Exception {
        codec(UdpMode.CONNECTED, EXAMPLE);
        feed("0003abcdef" + "00");
        feed("01ff");
        DatagramCollector.Received first = host.next(NOW);
        assertThat(first.peer()).isEqualTo(EXAMPLE);
        assertThat(ByteBufUtil.hexDump(first.payload())).isEqualTo(ABCDEF);
        assertThat(ByteBufUtil.hexDump(host.next(NOW).payload())).isEqualTo("ff");
        assertThat(host.poll()).isNull();
    }

    @Test
    void associationRepliesSplitAnywhereAreReassembledWithTheirPeers() throws Exception {
        codec(UdpMode.ASSOCIATION, Destination.ofHostAnyPort("0.0.0.0", 0));
        for (int at = 0; at < THREE_PACKETS.length(); at += 6) {
            feed(THREE_PACKETS.substring(at, Math.min(at + 6, THREE_PACKETS.length())));
        }
        DatagramCollector.Received v4 = host.next(NOW);
        DatagramCollector.Received v6 = host.next(NOW);
        DatagramCollector.Received named = host.next(NOW);
        assertThat(v4.peer()).isEqualTo(Destination.of(InetAddress.getByName("8.8.8.8"), 53));
        assertThat(v6.peer()).isEqualTo(Destination.of(InetAddress.getByName("::1"), 53));
        assertThat(named.peer()).isEqualTo(EXAMPLE);
        assertThat(named.peer().isDomain()).isTrue();
        for (DatagramCollector.Received each : new DatagramCollector.Received[] {v4, v6, named}) {
            assertThat(ByteBufUtil.hexDump(each.payload())).isEqualTo(ABCDEF);
        }
        assertThat(host.poll()).isNull();
    }

    @Test
    void aDatagramTheHostKeepsStaysIntactWhileLaterPacketsArrive() {
        // The host may hold a datagram beyond its read; the codec's buffer discards and reuses its space meanwhile.
        channel = new EmbeddedChannel(new UdpOverTcpClientCodec(UdpMode.CONNECTED, DNS));
        feed("0003abcdef0002");
        TransportDatagram kept = channel.readInbound();
        try {
            feed("1234" + "0001ee");
            TransportDatagram second = channel.readInbound();
            TransportDatagram third = channel.readInbound();
            assertThat(ByteBufUtil.hexDump(second.content())).isEqualTo("1234");
            assertThat(ByteBufUtil.hexDump(third.content())).isEqualTo("ee");
            second.release();
            third.release();
            assertThat(ByteBufUtil.hexDump(kept.content())).isEqualTo(ABCDEF);
        } finally {
            kept.release();
        }
    }

    @Test
    void anOversizedDatagramFailsItsWriteAloneAndIsReleased() {
        codec(UdpMode.CONNECTED, DNS);
        TransportDatagram oversized = new TransportDatagram(Unpooled.wrappedBuffer(new byte[65_536]), DNS);
        ChannelFuture refused = channel.writeOneOutbound(oversized);
        channel.flushOutbound();
        assertThat(refused.cause()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("datagram of 65536 bytes to 8.8.8.8:53 is larger than the 65535 bytes UDP over TCP can "
                        + "carry; nothing was sent");
        assertThat(oversized.refCnt()).isZero();
        assertThat(channel.isActive()).isTrue();

        TransportDatagram largest = new TransportDatagram(Unpooled.wrappedBuffer(new byte[65_535]), DNS);
        ChannelFuture written = channel.writeOneOutbound(largest);
        channel.flushOutbound();
        assertThat(written.isSuccess()).isTrue();
        assertThat(outboundHex()).hasSize(2 * (2 + 65_535)).startsWith("ffff");
    }

    @Test
    void aPeerWithPortZeroOrANonDatagramIsRefusedByName() {
        codec(UdpMode.ASSOCIATION, Destination.ofHostAnyPort("0.0.0.0", 0));
        ChannelFuture portZero = channel.writeOneOutbound(datagram(ABCDEF, Destination.ofHostAnyPort("example.com", 0)));
        assertThat(portZero.cause()).hasMessageContaining("example.com:0").hasMessageContaining("port 0");
        ByteBuf notADatagram = Unpooled.wrappedBuffer(new byte[] {1});
        ChannelFuture wrongType = channel.writeOneOutbound(notADatagram);
        assertThat(wrongType.cause()).hasMessageContaining("TransportDatagram")
                .hasMessageContaining(notADatagram.getClass().getName());
        assertThat(notADatagram.refCnt()).isZero();
        channel.flushOutbound();
        assertThat(outboundHex()).isEmpty();
    }

    @Test
    void aMalformedPacketFromTheServerFailsAndClosesTheFlow() throws Exception {
        codec(UdpMode.ASSOCIATION, Destination.ofHostAnyPort("0.0.0.0", 0));
        feed("000808080800350003abcdef" + "07");
        assertThat(host.next(NOW).peer()).isEqualTo(DNS);
        assertThat(host.failure()).isCompleted();
        assertThat(host.failure().get()).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("0x07");
        assertThat(channel.isOpen()).isFalse();
    }
}
