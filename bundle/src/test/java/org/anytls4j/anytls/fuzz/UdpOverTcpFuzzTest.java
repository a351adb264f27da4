package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.anytls4j.anytls.wire.WireFormatException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UDP over TCP v2 inside a stream (spec §13.1): the request header, then packets in connect or non-connect form,
 * arriving in chunks. Decoders consume whole units or nothing, and what they decode encodes back to the same bytes.
 */
class UdpOverTcpFuzzTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void headerAndPacketsDecodeIncrementallyAndEncodeBack(FuzzedDataProvider data) {
        boolean requestFirst = data.consumeBoolean();
        boolean connect = data.consumeBoolean();
        FuzzInput input = FuzzInput.from(data);
        byte[] stream = input.stream();
        ByteBuf received = alloc.buffer();
        int fed = 0;
        int step = 1;
        try {
            boolean needRequest = requestFirst;
            while (fed < stream.length) {
                int length = Math.min(step++ * 37 % 300 + 1, stream.length - fed);
                received.writeBytes(stream, fed, length);
                fed += length;
                received.discardReadBytes();
                if (needRequest) {
                    int before = received.readerIndex();
                    UdpOverTcp.Request request;
                    try {
                        request = UdpOverTcp.tryDecodeRequest(received);
                    } catch (WireFormatException refused) {
                        // A malformed destination: documented, nothing consumed; the server closes the stream.
                        assertThat(received.readerIndex()).isEqualTo(before);
                        return;
                    }
                    if (request == null) {
                        assertThat(received.readerIndex()).isEqualTo(before);
                        continue;
                    }
                    needRequest = false;
                    connect = request.connect();
                }
                if (!drainPackets(received, connect)) {
                    return;
                }
            }
        } finally {
            received.release();
            alloc.assertAllReleased("UoT decoding of " + stream.length + " bytes");
        }
    }

    /** Decodes every whole packet; false once the stream is malformed (the caller then closes the stream). */
    private boolean drainPackets(ByteBuf received, boolean connect) {
        while (true) {
            int start = received.readerIndex();
            if (connect) {
                ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(received);
                if (payload == null) {
                    assertThat(received.readerIndex()).isEqualTo(start);
                    return true;
                }
                byte[] wire = ByteBufUtil.getBytes(received, start, received.readerIndex() - start);
                ByteBuf encoded = UdpOverTcp.connectPacket(alloc, payload);
                assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(wire);
                encoded.release();
            } else {
                UotPacket packet;
                try {
                    packet = UdpOverTcp.tryDecodePacket(received);
                } catch (WireFormatException refused) {
                    assertThat(received.readerIndex()).isEqualTo(start);
                    return false;
                }
                if (packet == null) {
                    assertThat(received.readerIndex()).isEqualTo(start);
                    return true;
                }
                java.net.InetSocketAddress peer = packet.peer();
                byte[] payload = ByteBufUtil.getBytes(packet.payload());
                ByteBuf encoded;
                try {
                    encoded = UdpOverTcp.packet(alloc, peer, packet.payload().retain());
                } catch (IllegalArgumentException trailingDot) {
                    // decoded names may end with one '.', which the encoder refuses (see SocksAddressFuzzTest)
                    assertThat(peer.getHostString()).endsWith(".");
                    continue;
                } finally {
                    packet.release();
                }
                // IPv4-mapped IPv6 peers and IP literals sent as names decode to plain IPs: compare by meaning
                ByteBuf reread = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(encoded));
                encoded.release();
                UotPacket round = UdpOverTcp.tryDecodePacket(reread);
                assertThat(round).isNotNull();
                try {
                    assertThat(round.peer()).isEqualTo(peer);
                    assertThat(ByteBufUtil.getBytes(round.payload())).isEqualTo(payload);
                    assertThat(reread.isReadable()).isFalse();
                } finally {
                    round.release();
                }
            }
        }
    }
}
