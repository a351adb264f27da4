package org.anytls4j.group.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.anytls4j.transport.api.OpenRequest;

/**
 * {@code select}: the member an operator chose. While it is not usable, opens fail over to the others in the
 * group's order; the choice itself stays until it is changed.
 */
final class SelectStrategy implements Strategy {
    private volatile String selected;

    void select(String member) {
        selected = member;
    }

    Optional<String> selected() {
        return Optional.ofNullable(selected);
    }

    @Override
    public List<Member> order(List<Member> usable, OpenRequest request) {
        String chosen = selected;
        List<Member> order = new ArrayList<>(usable.size());
        for (Member member : usable) {
            if (member.name().equals(chosen)) {
                order.add(0, member);
            } else {
                order.add(member);
            }
        }
        return order;
    }

    @Override
    public Optional<Member> current(List<Member> usable) {
        return order(usable, null).stream().findFirst();
    }
}
