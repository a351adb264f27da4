package org.anytls4j.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Socks5UdpHeaderTest {
    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.7:53", "[2001:db8::1]:443", "example.com:8080"})
    void headerRoundTripsEveryAddressType(String peerText) {
        Destination peer = Destination.parse(peerText);
        ByteBuf header = Socks5UdpHeader.encode(ByteBufAllocator.DEFAULT, peer);
        ByteBuf packet = Unpooled.wrappedBuffer(header, Unpooled.copiedBuffer("data", StandardCharsets.US_ASCII));
        try {
            TransportDatagram datagram = Socks5UdpHeader.decode(packet);
            try {
                assertThat(datagram.peer()).isEqualTo(peer);
                assertThat(datagram.content().toString(StandardCharsets.US_ASCII)).isEqualTo("data");
            } finally {
                datagram.release();
            }
            assertThat(packet.refCnt()).isEqualTo(1);
        } finally {
            packet.release();
        }
    }

    @Test
    void encodesTheRfc1928Layout() {
        ByteBuf header = Socks5UdpHeader.encode(ByteBufAllocator.DEFAULT, Destination.parse("10.1.2.3:258"));
        try {
            byte[] bytes = new byte[header.readableBytes()];
            header.readBytes(bytes);
            assertThat(bytes).containsExactly(0, 0, 0, 1, 10, 1, 2, 3, 1, 2);
        } finally {
            header.release();
        }
    }

    @Test
    void fragmentsTruncationAndUnknownTypesAreRejected() {
        assertRejected(new byte[] {0, 0, 1, 1, 127, 0, 0, 1, 0, 53}, "fragment 1");
        assertRejected(new byte[] {0, 0, 0, 1, 127, 0}, "truncated");
        assertRejected(new byte[] {0, 0, 0, 9, 1}, "address type 9");
        assertRejected(new byte[] {0, 0, 0, 1, 127, 0, 0, 1, 0, 0}, "Port 0");
    }

    private static void assertRejected(byte[] bytes, String message) {
        ByteBuf packet = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> Socks5UdpHeader.decode(packet)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        } finally {
            packet.release();
        }
    }
}
