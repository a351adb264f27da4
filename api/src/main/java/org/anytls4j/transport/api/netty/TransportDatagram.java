package org.anytls4j.transport.api.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;
import org.anytls4j.transport.api.Destination;

/**
 * A UDP payload with its peer, in both directions of a datagram channel: outbound, the peer to send to; inbound,
 * the peer it came from (the domain the host used, if the transport resolved one for it).
 *
 * <p>Reference counted through its content, like every {@link io.netty.buffer.ByteBufHolder}: whoever holds it
 * last releases it.
 */
public final class TransportDatagram extends DefaultByteBufHolder {
    private final Destination peer;

    /**
     * @param content the payload; ownership passes to the new datagram
     * @param peer    the peer; port 0 is allowed (a transport rejects it when sending)
     */
    public TransportDatagram(ByteBuf content, Destination peer) {
        super(content);
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    public Destination peer() {
        return peer;
    }

    @Override
    public TransportDatagram copy() {
        return (TransportDatagram) super.copy();
    }

    @Override
    public TransportDatagram duplicate() {
        return (TransportDatagram) super.duplicate();
    }

    @Override
    public TransportDatagram retainedDuplicate() {
        return (TransportDatagram) super.retainedDuplicate();
    }

    /** A datagram to the same peer with {@code content} as payload; ownership of {@code content} passes to it. */
    @Override
    public TransportDatagram replace(ByteBuf content) {
        return new TransportDatagram(content, peer);
    }

    @Override
    public TransportDatagram retain() {
        super.retain();
        return this;
    }

    @Override
    public TransportDatagram retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public TransportDatagram touch() {
        super.touch();
        return this;
    }

    @Override
    public TransportDatagram touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /** Equal when the peers are equal and the readable payload bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TransportDatagram && super.equals(o) && peer.equals(((TransportDatagram) o).peer);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + peer.hashCode();
    }

    @Override
    public String toString() {
        return "TransportDatagram(peer: " + peer + ", " + contentToString() + ")";
    }
}
