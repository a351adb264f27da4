package org.anytls4j.group.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.anytls4j.transport.api.OpenRequest;

/**
 * {@code url-test}: the member with the lowest probed latency. It switches only when another member is faster by
 * more than the tolerance, so members with about the same latency do not make it flap; it leaves a member at once
 * when that member is no longer usable.
 */
final class UrlTestStrategy implements Strategy {
    private volatile long toleranceNanos;
    private volatile String chosen;

    void tolerance(long nanos) {
        toleranceNanos = nanos;
    }

    @Override
    public synchronized void probed(List<Member> usable) {
        Member best = fastest(usable);
        if (best == null) {
            return;
        }
        Member current = find(usable, chosen);
        long currentLatency = current == null ? -1 : current.latencyNanos();
        if (currentLatency < 0 || best.latencyNanos() + toleranceNanos < currentLatency) {
            chosen = best.name();
        }
    }

    @Override
    public List<Member> order(List<Member> usable, OpenRequest request) {
        List<Member> order = new ArrayList<>(usable);
        order.sort(Comparator.comparingLong(UrlTestStrategy::rank));
        Member current = find(usable, chosen);
        if (current != null) {
            order.remove(current);
            order.add(0, current);
        }
        return order;
    }

    @Override
    public Optional<Member> current(List<Member> usable) {
        return order(usable, null).stream().findFirst();
    }

    private static long rank(Member member) {
        long latency = member.latencyNanos();
        return latency < 0 ? Long.MAX_VALUE : latency;
    }

    private static Member fastest(List<Member> usable) {
        Member best = null;
        for (Member member : usable) {
            if (member.latencyNanos() >= 0 && (best == null || member.latencyNanos() < best.latencyNanos())) {
                best = member;
            }
        }
        return best;
    }

    private static Member find(List<Member> members, String name) {
        for (Member member : members) {
            if (member.name().equals(name)) {
                return member;
            }
        }
        return null;
    }
}
