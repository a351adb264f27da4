package org.anytls4j.group.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.anytls4j.transport.api.OpenRequest;

/** {@code load-balance} by {@code round-robin}: each open starts at the next usable member. */
final class RoundRobinStrategy implements Strategy {
    private final AtomicLong next = new AtomicLong();

    @Override
    public List<Member> order(List<Member> usable, OpenRequest request) {
        int start = (int) Math.floorMod(next.getAndIncrement(), (long) usable.size());
        List<Member> order = new ArrayList<>(usable.size());
        for (int i = 0; i < usable.size(); i++) {
            order.add(usable.get((start + i) % usable.size()));
        }
        return order;
    }

    @Override
    public Optional<Member> current(List<Member> usable) {
        return Optional.empty();
    }
}
