package org.anytls4j.group.core;

import java.util.List;
import java.util.Optional;
import org.anytls4j.transport.api.OpenRequest;

/** {@code fallback}: the first usable member in the group's order, the next ones if it fails. */
final class FallbackStrategy implements Strategy {
    @Override
    public List<Member> order(List<Member> usable, OpenRequest request) {
        return usable;
    }

    @Override
    public Optional<Member> current(List<Member> usable) {
        return usable.stream().findFirst();
    }
}
