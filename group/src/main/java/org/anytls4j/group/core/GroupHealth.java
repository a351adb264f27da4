package org.anytls4j.group.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.anytls4j.group.MemberStatus;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportHealth.State;

/**
 * The group's passive health, from its members: DOWN without a usable member, DEGRADED while some are skipped, UP
 * otherwise; the detail names the current member and each member's state and last probe. Remembers when the
 * state last changed.
 */
final class GroupHealth {
    private State state = State.UNKNOWN;
    private Instant since = Instant.EPOCH;

    synchronized TransportHealth of(int memberCount, int usableCount, Optional<String> current,
            List<MemberStatus> members, Instant now) {
        State next = usableCount == 0 ? State.DOWN : usableCount < memberCount ? State.DEGRADED : State.UP;
        if (next != state) {
            state = next;
            since = now;
        }
        String detail = (memberCount == 0 ? "no members" : "current " + current.orElse("none") + "; "
                + members.stream().map(MemberStatus::toString).collect(Collectors.joining("; ")));
        return TransportHealth.builder(state, since)
                .detail(detail)
                .build();
    }
}
