package org.anytls4j.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.netty.TransportDatagram;

/**
 * The header of a SOCKS5 UDP datagram (RFC 1928 §7): {@code RSV(2) FRAG(1) ATYP(1) DST.ADDR DST.PORT(2)}, then the
 * payload. Fragmentation is not supported, which RFC 1928 allows: fragments (FRAG != 0) are rejected.
 */
final class Socks5UdpHeader {
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;

    private Socks5UdpHeader() {
    }

    /**
     * Reads the header of {@code packet} and returns its payload (a retained slice) with the peer it is for.
     * {@code packet} itself is not released.
     *
     * @throws IllegalArgumentException naming the problem, if the datagram is a fragment, truncated, has an unknown
     *                                  address type or an invalid address or port (port 0 included)
     */
    static TransportDatagram decode(ByteBuf packet) {
        ByteBuf in = packet.duplicate();
        require(in, 4, "header");
        in.skipBytes(2);
        int fragment = in.readUnsignedByte();
        if (fragment != 0) {
            throw new IllegalArgumentException("SOCKS5 UDP fragment " + fragment + " (fragmentation is not supported)");
        }
        int type = in.readUnsignedByte();
        Destination peer;
        switch (type) {
            case ATYP_IPV4:
                peer = Destination.of(address(in, 4), port(in));
                break;
            case ATYP_IPV6:
                peer = Destination.of(address(in, 16), port(in));
                break;
            case ATYP_DOMAIN:
                require(in, 1, "domain length");
                int length = in.readUnsignedByte();
                require(in, length, "domain");
                String domain = in.readCharSequence(length, StandardCharsets.US_ASCII).toString();
                peer = Destination.ofHost(domain, port(in));
                break;
            default:
                throw new IllegalArgumentException("Unknown SOCKS5 address type " + type);
        }
        return new TransportDatagram(in.retainedSlice(), peer);
    }

    /** The header for a datagram from {@code peer}, to be followed by its payload. */
    static ByteBuf encode(ByteBufAllocator alloc, Destination peer) {
        byte[] host = peer.isDomain() ? peer.host().getBytes(StandardCharsets.US_ASCII) : peer.addressBytes();
        ByteBuf header = alloc.buffer(4 + 1 + host.length + 2);
        header.writeShort(0).writeByte(0);
        if (peer.isDomain()) {
            header.writeByte(ATYP_DOMAIN).writeByte(host.length);
        } else {
            header.writeByte(host.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
        }
        return header.writeBytes(host).writeShort(peer.port());
    }

    private static InetAddress address(ByteBuf in, int length) {
        require(in, length, "address");
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException("Bad address length " + length, impossible);
        }
    }

    private static int port(ByteBuf in) {
        require(in, 2, "port");
        return in.readUnsignedShort();
    }

    private static void require(ByteBuf in, int length, String field) {
        if (in.readableBytes() < length) {
            throw new IllegalArgumentException("SOCKS5 UDP datagram truncated in its " + field + ": needs "
                    + length + " more bytes, has " + in.readableBytes());
        }
    }
}
