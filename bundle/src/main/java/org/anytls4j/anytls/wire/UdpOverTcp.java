package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * sing-box UDP-over-TCP, version 2 (spec §13.1): what runs inside a stream opened to
 * {@link SocksAddress#UOT_V2_MAGIC_HOST}.
 *
 * <p>The stream payload starts with a request header ({@code isConnect u8 | SOCKS address}); then datagrams follow
 * back to back in both directions, either as {@code length u16 | payload} (connect mode) or as
 * {@code UoT address | length u16 | payload} (non-connect mode, where the address type numbers are UoT's own:
 * 0 IPv4, 1 IPv6, 2 domain). Decoders are incremental: they return {@code null} and consume nothing until a whole
 * header or packet is readable. Encoders take ownership of the payload and do not copy it.
 */
public final class UdpOverTcp {

    /** A datagram's length travels in 16 bits. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    /** The stream destination that starts UDP-over-TCP v2. */
    public static final InetSocketAddress V2_DESTINATION =
        InetSocketAddress.createUnresolved(SocksAddress.UOT_V2_MAGIC_HOST, 0);
    /** The stream destination of legacy v1 (no request header, always non-connect packets). */
    public static final InetSocketAddress V1_DESTINATION =
        InetSocketAddress.createUnresolved(SocksAddress.UOT_V1_MAGIC_HOST, 0);

    private static final int LENGTH_FIELD = 2;

    private UdpOverTcp() {
    }

    /** The request header: whether packets use connect mode, and the UDP destination. */
    public record Request(boolean connect, InetSocketAddress destination) {
        public Request {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * The UDP-over-TCP version a stream destination asks for: 2, 1, or 0 for an ordinary destination. The host is
     * compared exactly, like sing-box; anytls-go matches any host containing {@code udp-over-tcp.arpa} and then
     * misreads v1, so exact matching is the safer reading.
     */
    public static int version(InetSocketAddress streamDestination) {
        if (!streamDestination.isUnresolved()) {
            return 0;
        }
        String host = streamDestination.getHostString();
        return host.equals(SocksAddress.UOT_V2_MAGIC_HOST) ? 2 : host.equals(SocksAddress.UOT_V1_MAGIC_HOST) ? 1 : 0;
    }

    /**
     * Writes the v2 request header.
     *
     * @throws IllegalArgumentException if {@code destination} holds a domain servers cannot read
     */
    public static void encodeRequest(ByteBuf out, boolean connect, InetSocketAddress destination) {
        // Validates the destination before the first byte is written, so a rejected one leaves out untouched.
        out.ensureWritable(requestLength(destination));
        out.writeByte(connect ? 1 : 0);
        SocksAddress.encode(out, destination);
    }

    /** Bytes {@link #encodeRequest} writes. */
    public static int requestLength(InetSocketAddress destination) {
        return 1 + SocksAddress.encodedLength(destination);
    }

    /**
     * Reads the v2 request header. Any non-zero {@code isConnect} byte means connect mode: Go writes a bool as
     * 0 or 1, and reading other values as true is what Go's {@code byte != 0} test does as well.
     *
     * @return the request, consumed; or {@code null} with {@code in} untouched when incomplete
     * @throws WireFormatException (nothing consumed) if the destination is malformed
     */
    public static Request tryDecodeRequest(ByteBuf in) {
        if (!in.isReadable()) {
            return null;
        }
        int start = in.readerIndex();
        boolean connect = in.readByte() != 0;
        InetSocketAddress destination = null;
        try {
            destination = SocksAddress.tryDecode(in);
        } finally {
            if (destination == null) {
                in.readerIndex(start);
            }
        }
        return destination == null ? null : new Request(connect, destination);
    }

    /**
     * A connect-mode packet {@code length u16 | payload}. Takes ownership of {@code payload} and releases it on
     * every path; the result is a composite of a 2-byte header and the payload itself.
     *
     * @throws IllegalArgumentException if the payload exceeds 65535 bytes
     */
    public static ByteBuf connectPacket(ByteBufAllocator alloc, ByteBuf payload) {
        ByteBuf header = null;
        try {
            checkPayload(payload);
            header = alloc.buffer(LENGTH_FIELD);
            header.writeShort(payload.readableBytes());
        } catch (RuntimeException | Error e) {
            payload.release();
            if (header != null) {
                header.release();
            }
            throw e;
        }
        return join(alloc, header, payload);
    }

    /**
     * Reads one connect-mode packet.
     *
     * @return the payload (a retained slice of {@code in}, owned by the caller), consumed; or {@code null} with
     *     {@code in} untouched when incomplete
     */
    public static ByteBuf tryDecodeConnectPacket(ByteBuf in) {
        if (in.readableBytes() < LENGTH_FIELD) {
            return null;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < LENGTH_FIELD + length) {
            return null;
        }
        in.skipBytes(LENGTH_FIELD);
        return readPayload(in, length);
    }

    /**
     * A non-connect packet {@code UoT address | length u16 | payload} for {@code peer}. Takes ownership of
     * {@code payload} and releases it on every path; the payload is not copied.
     *
     * @throws IllegalArgumentException if the payload exceeds 65535 bytes or {@code peer} holds a domain servers
     *     cannot read
     */
    public static ByteBuf packet(ByteBufAllocator alloc, InetSocketAddress peer, ByteBuf payload) {
        ByteBuf header = null;
        try {
            checkPayload(payload);
            header = alloc.buffer(SocksAddress.encodedLength(peer) + LENGTH_FIELD);
            SocksAddress.encode(header, peer, SocksAddress.Numbering.UOT);
            header.writeShort(payload.readableBytes());
        } catch (RuntimeException | Error e) {
            payload.release();
            if (header != null) {
                header.release();
            }
            throw e;
        }
        return join(alloc, header, payload);
    }

    /**
     * Reads one non-connect packet.
     *
     * @return the packet (payload a retained slice of {@code in}, owned by the caller), consumed; or {@code null}
     *     with {@code in} untouched when incomplete
     * @throws WireFormatException (nothing consumed) for an unknown UoT address type or a bad domain
     */
    public static UotPacket tryDecodePacket(ByteBuf in) {
        int start = in.readerIndex();
        InetSocketAddress peer = SocksAddress.tryDecode(in, SocksAddress.Numbering.UOT);
        if (peer == null) {
            return null;
        }
        if (in.readableBytes() < LENGTH_FIELD || in.readableBytes() < LENGTH_FIELD + in.getUnsignedShort(
            in.readerIndex())) {
            in.readerIndex(start);
            return null;
        }
        int length = in.readUnsignedShort();
        return new UotPacket(peer, readPayload(in, length));
    }

    private static ByteBuf readPayload(ByteBuf in, int length) {
        return length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(length);
    }

    private static void checkPayload(ByteBuf payload) {
        if (payload.readableBytes() > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("UDP payload of " + payload.readableBytes()
                + " bytes exceeds the UDP-over-TCP limit of " + MAX_PAYLOAD_LENGTH);
        }
    }

    private static ByteBuf join(ByteBufAllocator alloc, ByteBuf header, ByteBuf payload) {
        CompositeByteBuf out;
        try {
            out = alloc.compositeBuffer(2);
        } catch (RuntimeException | Error e) {
            header.release();
            payload.release();
            throw e;
        }
        // addComponents releases the buffers it could not add.
        return out.addComponents(true, header, payload);
    }
}
