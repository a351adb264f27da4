package org.anytls4j.transport.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Diagnostics of one carrier session of a pooled transport, as {@link OutboundTransport#sessions()} reports it.
 * Immutable; built with {@link #builder(String, InetSocketAddress, Instant)}.
 */
public final class SessionSnapshot {
    private final String id;
    private final InetSocketAddress upstream;
    private final Instant created;
    private final Instant idleSince;
    private final int activeStreams;
    private final long streamsServed;
    private final long bytesOut;
    private final long bytesIn;
    private final int peerVersion;
    private final Instant expiresAt;
    private final String paddingSchemeMd5;

    private SessionSnapshot(Builder b) {
        id = b.id;
        upstream = b.upstream;
        created = b.created;
        idleSince = b.idleSince;
        activeStreams = b.activeStreams;
        streamsServed = b.streamsServed;
        bytesOut = b.bytesOut;
        bytesIn = b.bytesIn;
        peerVersion = b.peerVersion;
        expiresAt = b.expiresAt;
        paddingSchemeMd5 = b.paddingSchemeMd5;
    }

    /**
     * @param id       the session's id in the transport's logs
     * @param upstream the server the session is connected to
     * @param created  when the session was established
     */
    public static Builder builder(String id, InetSocketAddress upstream, Instant created) {
        return new Builder(id, upstream, created);
    }

    public String id() {
        return id;
    }

    public InetSocketAddress upstream() {
        return upstream;
    }

    public Instant created() {
        return created;
    }

    /** Since when the session carries no stream; empty while it carries one. */
    public Optional<Instant> idleSince() {
        return Optional.ofNullable(idleSince);
    }

    public boolean isIdle() {
        return idleSince != null;
    }

    public int activeStreams() {
        return activeStreams;
    }

    /** Streams the session has carried, including the active ones. */
    public long streamsServed() {
        return streamsServed;
    }

    /** Payload bytes the session's streams have sent. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Payload bytes the session's streams have received. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Protocol version the peer announced; 0 if it announced none. */
    public int peerVersion() {
        return peerVersion;
    }

    /** When the pool will close the session if it stays idle; empty if it is busy or kept regardless. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * Lowercase hex md5 of the padding scheme the session pads with (the {@code padding-md5} an AnyTLS client
     * announces); empty for a transport without padding schemes.
     */
    public Optional<String> paddingSchemeMd5() {
        return Optional.ofNullable(paddingSchemeMd5);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionSnapshot)) {
            return false;
        }
        SessionSnapshot other = (SessionSnapshot) o;
        return id.equals(other.id) && upstream.equals(other.upstream) && created.equals(other.created)
                && Objects.equals(idleSince, other.idleSince) && activeStreams == other.activeStreams
                && streamsServed == other.streamsServed && bytesOut == other.bytesOut && bytesIn == other.bytesIn
                && peerVersion == other.peerVersion && Objects.equals(expiresAt, other.expiresAt)
                && Objects.equals(paddingSchemeMd5, other.paddingSchemeMd5);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, upstream, created, idleSince, activeStreams, streamsServed, bytesOut, bytesIn,
                peerVersion, expiresAt, paddingSchemeMd5);
    }

    @Override
    public String toString() {
        return "Session{" + id + " upstream=" + upstream.getHostString() + ":" + upstream.getPort()
                + " created=" + created + (idleSince != null ? " idleSince=" + idleSince : "")
                + " activeStreams=" + activeStreams + " served=" + streamsServed
                + " bytes=" + bytesOut + "/" + bytesIn + " peerVersion=" + peerVersion
                + (expiresAt != null ? " expiresAt=" + expiresAt : "")
                + (paddingSchemeMd5 != null ? " paddingMd5=" + paddingSchemeMd5 : "") + "}";
    }

    /** Collects the fields of a {@link SessionSnapshot}; not thread-safe. */
    public static final class Builder {
        private final String id;
        private final InetSocketAddress upstream;
        private final Instant created;
        private Instant idleSince;
        private int activeStreams;
        private long streamsServed;
        private long bytesOut;
        private long bytesIn;
        private int peerVersion;
        private Instant expiresAt;
        private String paddingSchemeMd5;

        private Builder(String id, InetSocketAddress upstream, Instant created) {
            this.id = Objects.requireNonNull(id, "id");
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            this.created = Objects.requireNonNull(created, "created");
        }

        private static long counter(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }

        /** @param since {@code null} while the session carries a stream */
        public Builder idleSince(Instant since) {
            idleSince = since;
            return this;
        }

        public Builder activeStreams(int value) {
            activeStreams = (int) counter("activeStreams", value);
            return this;
        }

        public Builder streamsServed(long value) {
            streamsServed = counter("streamsServed", value);
            return this;
        }

        public Builder bytesOut(long value) {
            bytesOut = counter("bytesOut", value);
            return this;
        }

        public Builder bytesIn(long value) {
            bytesIn = counter("bytesIn", value);
            return this;
        }

        public Builder peerVersion(int value) {
            peerVersion = (int) counter("peerVersion", value);
            return this;
        }

        /** @param time {@code null} if the session does not expire */
        public Builder expiresAt(Instant time) {
            expiresAt = time;
            return this;
        }

        /** @param md5Hex lowercase hex md5 of the padding scheme, or {@code null} for none */
        public Builder paddingSchemeMd5(String md5Hex) {
            paddingSchemeMd5 = md5Hex;
            return this;
        }

        public SessionSnapshot build() {
            return new SessionSnapshot(this);
        }
    }
}
