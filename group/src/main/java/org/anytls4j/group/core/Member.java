package org.anytls4j.group.core;

import java.util.Objects;
import org.anytls4j.group.MemberStatus;
import org.anytls4j.group.ProbeResult;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/**
 * One member of a group and what the group remembers of it: whether it is skipped after failures, and its last
 * probe. Thread-safe; its state changes under its own lock, which is never held while calling out.
 */
final class Member {
    private final String name;
    private final NettyOutboundTransport transport;

    private boolean failing;
    private long retryAtNanos;
    private int consecutiveFailures;
    private ProbeResult lastProbe;
    private long latencyNanos = -1;

    Member(NettyOutboundTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.name = transport.name();
    }

    String name() {
        return name;
    }

    NettyOutboundTransport transport() {
        return transport;
    }

    /** Whether the member can carry the request's network and UDP mode at all. */
    boolean carries(OpenRequest request) {
        if (!transport.networks().contains(request.network())) {
            return false;
        }
        return request.network() != Network.UDP || request.udpMode() != UdpMode.ASSOCIATION
                || transport.capabilities().contains(Capability.UDP_ASSOCIATION);
    }

    /**
     * Whether new opens may go to this member at {@code nowNanos}. A member whose own passive health says DOWN
     * is skipped like one that failed through the group.
     *
     * @param retryAfterNanos how long a member found DOWN passively is skipped when nothing probes it
     */
    boolean usable(long nowNanos, boolean probing, long retryAfterNanos) {
        boolean down = transport.health().state() == TransportHealth.State.DOWN;
        synchronized (this) {
            if (!failing && down && lastProbe == null) {
                markFailing(nowNanos, probing, retryAfterNanos);
            }
            if (failing && !probing && nowNanos - retryAtNanos >= 0) {
                failing = false; // no probe will clear it: the next open is the trial
            }
            return !failing;
        }
    }

    private void markFailing(long nowNanos, boolean probing, long retryAfterNanos) {
        failing = true;
        retryAtNanos = probing ? Long.MAX_VALUE : nowNanos + retryAfterNanos;
    }

    synchronized void opened() {
        consecutiveFailures = 0;
    }

    /** An open through the group failed on this member for a reason that is the member's. */
    synchronized void openFailed(long nowNanos, int threshold, boolean probing, long retryAfterNanos) {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            markFailing(nowNanos, probing, retryAfterNanos);
        }
    }

    /** A probe finished: success makes the member usable again, failure skips it until a probe succeeds. */
    synchronized void probed(ProbeResult result, long latencyNanos, long nowNanos) {
        lastProbe = result;
        if (result.success()) {
            failing = false;
            consecutiveFailures = 0;
            this.latencyNanos = latencyNanos;
        } else {
            markFailing(nowNanos, true, 0);
            this.latencyNanos = -1;
        }
    }

    /** The latency of the last successful probe, -1 if none or the last probe failed. */
    synchronized long latencyNanos() {
        return latencyNanos;
    }

    synchronized MemberStatus status() {
        return new MemberStatus(name, !failing, transport.health().state().name(), consecutiveFailures,
                lastProbe);
    }

    @Override
    public String toString() {
        return name;
    }
}
