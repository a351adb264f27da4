package org.anytls4j.group.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype and DS description of one transport group, one per factory configuration of {@value #PID}. By the DS
 * naming rules {@code transport_name()} is {@code transport.name} and {@code members_target()} is
 * {@code members.target}, the target filter of the component's {@code members} reference.
 */
@ObjectClassDefinition(
        id = GroupConfiguration.PID,
        name = "anytls4j transport group",
        description = "An outbound transport made of the transports matching members.target: fallback, url-test, "
                + "load-balance or select, with health checks and fail-over before any byte reached the "
                + "application. Durations are written as 30s, 500ms, 2m, 1h, 1m30s, PT30S, or a whole number of "
                + "seconds.")
public @interface GroupConfiguration {
    /** The factory PID. */
    String PID = "org.anytls4j.group";

    @AttributeDefinition(name = "Transport name", description = "Unique instance name (transport.name) of the "
            + "group, 1 to 64 of A-Z a-z 0-9 . _ -; hosts select the group by it.")
    String transport_name();

    @AttributeDefinition(name = "Labels", required = false,
            description = "Free grouping labels (transport.labels) of the group itself.")
    String[] transport_labels() default {};

    @AttributeDefinition(name = "Members filter", description = "LDAP filter selecting the member transports, "
            + "e.g. (transport.labels=hk) or (|(transport.name=hk1)(transport.name=hk2)). The group never "
            + "includes itself. Default: every transport that is not a group.")
    String members_target() default "(!(transport.type=group))";

    @AttributeDefinition(name = "Member order", required = false, description = "Member names in the order "
            + "fallback and select try them; members not named follow, by name. Default: by name.")
    String[] members() default {};

    @AttributeDefinition(name = "Strategy", options = {
        @Option(value = "fallback", label = "fallback: the first usable member in order"),
        @Option(value = "url-test", label = "url-test: the member with the lowest probed latency"),
        @Option(value = "load-balance", label = "load-balance: spread opens over the usable members"),
        @Option(value = "select", label = "select: the member chosen by configuration or at run time")
    }, description = "How the group picks a member. Default fallback.")
    String strategy() default "fallback";

    @AttributeDefinition(name = "Load balancing", options = {
        @Option(value = "consistent-hashing", label = "consistent-hashing: one destination host, one member"),
        @Option(value = "round-robin", label = "round-robin: each open to the next member")
    }, description = "How load-balance spreads opens. Default consistent-hashing.")
    String loadBalancing() default "consistent-hashing";

    @AttributeDefinition(name = "Selected member", required = false, description = "For select: the member "
            + "name opens go to; also written here when the member is switched at run time.")
    String selected() default "";

    @AttributeDefinition(name = "Probe target", required = false, description = "host:port that active probes "
            + "open a TCP stream to through each member; required for url-test. Empty: no active probes, and "
            + "a failed member is tried again after one probe interval.")
    String probe() default "";

    @AttributeDefinition(name = "Probe HTTP path", required = false, description = "If set (e.g. /generate_204), "
            + "a probe sends GET with this path after the open and checks the status.")
    String probeHttpPath() default "";

    @AttributeDefinition(name = "Probe expected status", min = "0", max = "599", description = "The HTTP status a "
            + "probe must get; 0 (default): any 2xx or 3xx.")
    int probeExpectedStatus() default 0;

    @AttributeDefinition(name = "Probe interval", description = "Time between probe rounds. Default 5m.")
    String probeInterval() default "5m";

    @AttributeDefinition(name = "Probe timeout", description = "Limit of one probe. Default 5s.")
    String probeTimeout() default "5s";

    @AttributeDefinition(name = "Tolerance", description = "url-test switches only to a member faster by more "
            + "than this. Default 50ms.")
    String tolerance() default "50ms";

    @AttributeDefinition(name = "Lazy", description = "Probe only while the group is used (an open since the last "
            + "round). Default true.")
    boolean lazy() default true;

    @AttributeDefinition(name = "Failure threshold", min = "1", max = "100", description = "Failed opens in a row "
            + "after which a member is skipped until a probe succeeds. Default 1.")
    int failureThreshold() default 1;

    @AttributeDefinition(name = "Open timeout", description = "Budget of one open across all members, unless the "
            + "request's own is shorter. Default 10s.")
    String openTimeout() default "10s";
}
