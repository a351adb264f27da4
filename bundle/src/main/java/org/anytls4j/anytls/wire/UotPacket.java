package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One UDP-over-TCP datagram in non-connect mode: its peer (destination when the client sends, source when the
 * server sends) and its payload, which this packet owns.
 */
public final class UotPacket extends DefaultByteBufHolder {

    private final InetSocketAddress peer;

    /** Takes ownership of {@code payload}. */
    public UotPacket(InetSocketAddress peer, ByteBuf payload) {
        super(payload);
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /** The datagram, the same buffer as {@link #content()}. */
    public ByteBuf payload() {
        return content();
    }

    @Override
    public UotPacket copy() {
        return (UotPacket) super.copy();
    }

    @Override
    public UotPacket duplicate() {
        return (UotPacket) super.duplicate();
    }

    @Override
    public UotPacket retainedDuplicate() {
        return (UotPacket) super.retainedDuplicate();
    }

    @Override
    public UotPacket replace(ByteBuf content) {
        return new UotPacket(peer, content);
    }

    @Override
    public UotPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public UotPacket retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public UotPacket touch() {
        super.touch();
        return this;
    }

    @Override
    public UotPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof UotPacket)) {
            return false;
        }
        UotPacket other = (UotPacket) o;
        return peer.equals(other.peer) && content().equals(other.content());
    }

    @Override
    public int hashCode() {
        return 31 * peer.hashCode() + content().hashCode();
    }

    /** Describes the packet without its payload. */
    @Override
    public String toString() {
        return "UotPacket[peer=" + peer + " len=" + content().readableBytes() + "]";
    }
}
