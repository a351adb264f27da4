package org.anytls4j.anytls.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.UdpMode;

import java.net.InetSocketAddress;

/** The UDP-over-TCP v2 request header a UDP open sends on its stream, and the check that it can be written. */
final class UdpRequestHeader {
    private UdpRequestHeader() {
    }

    /** Refuses a destination the header cannot carry, before any session is taken for it; null if it can. */
    static TransportException unsendable(OpenRequest request, String transportName) {
        try {
            UdpOverTcp.requestLength(request.destination().toSocketAddress());
            return null;
        } catch (IllegalArgumentException e) {
            return new TransportException(Reason.ADDRESS_UNSUPPORTED, Phase.STREAM_OPEN, transportName,
                    "cannot send UDP destination " + request.destination() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The header for {@code request}, owned by the caller (the session releases it once written). It leaves with
     * the open, not lazily with the first datagram as the reference client does: a server that waits for the header
     * before its SYNACK then still answers at once, so a quiet flow never trips the SYNACK watchdog of a reused
     * session (golden udp-reused-late).
     */
    static ByteBuf encode(OpenRequest request) {
        InetSocketAddress destination = request.destination().toSocketAddress();
        ByteBuf header = ByteBufAllocator.DEFAULT.buffer(UdpOverTcp.requestLength(destination));
        UdpOverTcp.encodeRequest(header, request.udpMode() == UdpMode.CONNECTED, destination);
        return header;
    }
}
