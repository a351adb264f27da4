package org.anytls4j.group.core;

import java.util.List;
import java.util.Optional;
import org.anytls4j.transport.api.OpenRequest;

/** Orders the usable members for one open: the first is tried first, the others in turn on failure. */
interface Strategy {
    /**
     * @param usable the usable members that carry the request, in the group's order; never empty
     * @return the same members in the order to try them
     */
    List<Member> order(List<Member> usable, OpenRequest request);

    /** The member new opens go to first, if the strategy has one. */
    Optional<Member> current(List<Member> usable);

    /** New probe results are in; a strategy that ranks by latency re-ranks here. */
    default void probed(List<Member> usable) {
    }

    /** Makes a strategy for {@code settings}, keeping what {@code previous} learnt if it is the same kind. */
    static Strategy of(GroupSettings settings, Strategy previous) {
        switch (settings.strategy()) {
            case URL_TEST:
                UrlTestStrategy urlTest = previous instanceof UrlTestStrategy
                        ? (UrlTestStrategy) previous : new UrlTestStrategy();
                urlTest.tolerance(settings.tolerance().toNanos());
                return urlTest;
            case LOAD_BALANCE:
                return settings.loadBalancing() == LoadBalancing.ROUND_ROBIN
                        ? (previous instanceof RoundRobinStrategy ? previous : new RoundRobinStrategy())
                        : new ConsistentHashingStrategy();
            case SELECT:
                SelectStrategy select = previous instanceof SelectStrategy
                        ? (SelectStrategy) previous : new SelectStrategy();
                settings.selected().ifPresent(select::select);
                return select;
            default:
                return new FallbackStrategy();
        }
    }
}
