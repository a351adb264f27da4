package org.anytls4j.group;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The management view of one transport group, registered as a service with the group's {@code transport.name} so
 * a shell command or a JMX bean finds it with {@code (transport.name=<group>)}. Every method is cheap and
 * thread-safe; none blocks on I/O except {@link #select(String)}, which stores the choice in Configuration Admin.
 */
@ProviderType
public interface TransportGroupControl {
    /** Property of this service and of the group's transport service: the strategy, e.g. {@code url-test}. */
    String GROUP_STRATEGY = "group.strategy";

    /** The group's {@code transport.name}. */
    String name();

    /** {@code fallback}, {@code url-test}, {@code load-balance} or {@code select}. */
    String strategy();

    /**
     * The member new opens go to first; empty when no member is usable, and for {@code load-balance}, which
     * spreads opens over all usable members.
     */
    Optional<String> current();

    /** For a {@code select} group: the member chosen in the configuration or at run time; empty otherwise. */
    Optional<String> selected();

    /** Every member, in the group's order. */
    List<MemberStatus> members();

    /** Opens that failed on one member before any byte reached the application and were moved to the next. */
    long failovers();

    /**
     * Makes {@code member} the selected member of a {@code select} group and stores the choice in the group's
     * configuration, so it survives restarts and reaches every node that shares the configuration. Streams already
     * open keep running on the member they were opened on.
     *
     * @throws IllegalStateException    if the group's strategy is not {@code select}
     * @throws IllegalArgumentException naming the known members, if {@code member} is not one of them
     */
    void select(String member);

    /** Starts a probe of every member now, without waiting for the next interval; returns at once. */
    void probeNow();
}
