package org.anytls4j.anytls.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * §17 vectors 16–18 read back: {@code wire.SpecVectorsTest} checks what we write; this checks that what the
 * reference writes decodes to the same values, every byte consumed (the server reads requests and client packets,
 * the client reads server packets).
 */
class UotSpecVectorsDecodingTest {

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    @Test
    void vector16BothMagicDestinationsDecodeAndAreRecognised() {
        ByteBuf v2 = hex("031773702e76322e7564702d6f7665722d7463702e617270610000");
        ByteBuf v1 = hex("031473702e7564702d6f7665722d7463702e617270610000");
        try {
            InetSocketAddress decodedV2 = SocksAddress.decode(v2);
            InetSocketAddress decodedV1 = SocksAddress.decode(v1);
            assertThat(decodedV2).isEqualTo(UdpOverTcp.V2_DESTINATION);
            assertThat(decodedV1).isEqualTo(UdpOverTcp.V1_DESTINATION);
            assertThat(v2.isReadable()).isFalse();
            assertThat(v1.isReadable()).isFalse();
            assertThat(UdpOverTcp.version(decodedV2)).isEqualTo(2);
            assertThat(UdpOverTcp.version(decodedV1)).isEqualTo(1);
            assertThat(UdpOverTcp.version(InetSocketAddress.createUnresolved("x.udp-over-tcp.arpa", 0))).isZero();
        } finally {
            v2.release();
            v1.release();
        }
    }

    @Test
    void vector17RequestsDecodeInBothModes() throws Exception {
        InetSocketAddress dns = new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 53);
        for (String[] vector : new String[][] {{"0001080808080035", "false"}, {"0101080808080035", "true"}}) {
            ByteBuf in = hex(vector[0]);
            try {
                assertThat(UdpOverTcp.tryDecodeRequest(in))
                        .isEqualTo(new UdpOverTcp.Request(Boolean.parseBoolean(vector[1]), dns));
                assertThat(in.isReadable()).isFalse();
            } finally {
                in.release();
            }
        }
    }

    @Test
    void vector18ConnectPacketDecodes() {
        ByteBuf in = hex("0003abcdef");
        ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(in);
        try {
            assertThat(ByteBufUtil.hexDump(payload)).isEqualTo("abcdef");
            assertThat(in.isReadable()).isFalse();
        } finally {
            payload.release();
            in.release();
        }
    }

    @Test
    void vector18NonConnectPacketsDecodeWithTheirPeers() throws Exception {
        ByteBuf in = hex("000808080800350003abcdef"
                + "010000000000000000000000000000000100350003abcdef"
                + "020b6578616d706c652e636f6d00350003abcdef");
        InetSocketAddress[] peers = {
            new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 53),
            new InetSocketAddress(InetAddress.getByName("::1"), 53),
            InetSocketAddress.createUnresolved("example.com", 53),
        };
        try {
            for (InetSocketAddress peer : peers) {
                UotPacket packet = UdpOverTcp.tryDecodePacket(in);
                try {
                    assertThat(packet.peer()).isEqualTo(peer);
                    assertThat(ByteBufUtil.hexDump(packet.payload())).isEqualTo("abcdef");
                } finally {
                    packet.release();
                }
            }
            assertThat(in.isReadable()).isFalse();
            assertThat(UdpOverTcp.tryDecodePacket(in)).isNull();
        } finally {
            in.release();
        }
    }
}
