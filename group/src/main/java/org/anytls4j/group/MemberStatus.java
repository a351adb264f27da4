package org.anytls4j.group;

import java.util.Objects;
import java.util.Optional;

/** One member of a group as the group sees it now. Immutable. */
public final class MemberStatus {
    private final String name;
    private final boolean usable;
    private final String health;
    private final int consecutiveFailures;
    private final ProbeResult lastProbe;

    /**
     * @param health              the member's own passive health state, e.g. {@code UP}
     * @param consecutiveFailures opens through the group that failed on this member in a row
     * @param lastProbe           {@code null} before the first probe
     */
    public MemberStatus(String name, boolean usable, String health, int consecutiveFailures, ProbeResult lastProbe) {
        this.name = Objects.requireNonNull(name, "name");
        this.usable = usable;
        this.health = Objects.requireNonNull(health, "health");
        this.consecutiveFailures = consecutiveFailures;
        this.lastProbe = lastProbe;
    }

    /** The member's {@code transport.name}. */
    public String name() {
        return name;
    }

    /** Whether new opens may go to this member; false while it is skipped after a failure. */
    public boolean usable() {
        return usable;
    }

    /** The member's own passive health state ({@code UNKNOWN}, {@code UP}, {@code DEGRADED}, {@code DOWN}). */
    public String health() {
        return health;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Optional<ProbeResult> lastProbe() {
        return Optional.ofNullable(lastProbe);
    }

    @Override
    public String toString() {
        return name + (usable ? " usable" : " skipped") + " health=" + health
                + (consecutiveFailures > 0 ? " failures=" + consecutiveFailures : "")
                + (lastProbe != null ? " probe: " + lastProbe : "");
    }
}
