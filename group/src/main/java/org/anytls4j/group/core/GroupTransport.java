package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.anytls4j.group.MemberStatus;
import org.anytls4j.group.ProbeResult;
import org.anytls4j.group.TransportGroupControl;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/**
 * The {@code group} transport: an outbound transport made of other outbound transports, its members. A strategy
 * orders the usable members for each open; an open that fails on one member before the application got a channel
 * moves to the next, within the request's one open timeout ({@link FailoverOpen}). Health is passive (the members'
 * own health, failures through the group) and active ({@link ProbeRounds}).
 *
 * <p>The application's handler is put into the pipeline of the one member channel that becomes active, when it
 * becomes active ({@code AttachOnActive} of module common), rather than before registration: a failed attempt never touches it.
 *
 * <p>Free of OSGi; thread-safe. Time and timers come from the {@link GroupClock} and {@link GroupScheduler} given.
 */
public final class GroupTransport implements NettyOutboundTransport, TransportGroupControl, AutoCloseable {
    public static final String TYPE = "group";
    /** Groups whose open is on this thread's stack: a group met again is a cycle in the configuration. */
    private static final ThreadLocal<Set<GroupTransport>> OPENING = ThreadLocal.withInitial(HashSet::new);

    private final GroupClock clock;
    private final GroupScheduler scheduler;
    private final GroupCounters counters;
    private final ProbeRounds probes;
    private final GroupHealth health = new GroupHealth();
    private final Map<NettyOutboundTransport, Member> byTransport = new LinkedHashMap<>();
    private volatile List<Member> members = List.of();
    private volatile GroupSettings settings;
    private volatile Strategy strategy;
    private volatile Set<Network> networks = Set.of();
    private volatile Set<Capability> capabilities = Set.of();
    private volatile Consumer<String> selectionStore = member -> { };
    private volatile boolean closed;

    private GroupTransport(GroupSettings settings, GroupClock clock, GroupScheduler scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.counters = new GroupCounters(clock.now());
        this.strategy = Strategy.of(settings, null);
        this.probes = new ProbeRounds(this);
    }

    /** A group with no members yet; probing starts at once. */
    public static GroupTransport start(GroupSettings settings, GroupClock clock, GroupScheduler scheduler) {
        GroupTransport group = new GroupTransport(settings, clock, scheduler);
        group.probes.restart();
        return group;
    }

    /** Where a run-time selection is stored (the OSGi component writes it to Configuration Admin). */
    public void selectionStore(Consumer<String> store) {
        this.selectionStore = Objects.requireNonNull(store, "store");
    }

    /** Adds a member; refuses the group itself and a transport with the group's name. */
    public boolean addMember(NettyOutboundTransport transport) {
        if (transport == this || transport.name().equals(name())) {
            return false;
        }
        Member member = new Member(transport);
        synchronized (this) {
            byTransport.put(transport, member);
            rebuild();
        }
        probes.memberAdded(member);
        return true;
    }

    public void removeMember(NettyOutboundTransport transport) {
        synchronized (this) {
            if (byTransport.remove(transport) != null) {
                rebuild();
            }
        }
    }

    /** Applies new settings to the running group; opens in flight finish as they started. */
    public void reconfigure(GroupSettings next) {
        GroupSettings previous;
        synchronized (this) {
            previous = settings;
            settings = next;
            strategy = Strategy.of(next, strategy);
            rebuild();
        }
        if (previous.probingDiffers(next)) {
            probes.restart();
        }
    }

    private void rebuild() {
        List<String> order = settings.memberOrder();
        List<Member> sorted = new ArrayList<>(byTransport.values());
        sorted.sort(Comparator.comparingInt((Member m) -> order.contains(m.name()) ? order.indexOf(m.name())
                : order.size()).thenComparing(Member::name));
        members = List.copyOf(sorted);
        Set<Network> carried = EnumSet.allOf(Network.class);
        Set<Capability> offered = EnumSet.allOf(Capability.class);
        for (Member member : sorted) {
            carried.retainAll(member.transport().networks());
            offered.retainAll(member.transport().capabilities());
        }
        // Failover moves an open that fails before it is confirmed; an early-data open is handed out unconfirmed,
        // so a group never offers early data and opens its members confirmed (see open).
        offered.remove(Capability.EARLY_DATA);
        networks = sorted.isEmpty() ? Set.of() : Collections.unmodifiableSet(carried);
        capabilities = sorted.isEmpty() ? Set.of() : Collections.unmodifiableSet(offered);
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Objects.requireNonNull(handler, "handler");
        if (Objects.requireNonNull(request, "request").earlyData()) {
            request = request.toBuilder().earlyData(false).build(); // see rebuild: members confirm, so failover works
        }
        EventExecutor executor = preferredLoop != null ? preferredLoop : GlobalEventExecutor.INSTANCE;
        Promise<Channel> result = executor.newPromise();
        counters.attempted();
        probes.used();
        TransportException refusal = refusal(request);
        if (refusal != null) {
            counters.failed(refusal, clock.now());
            result.setFailure(refusal);
            return result;
        }
        List<Member> order = strategy.order(usable(request), request);
        GroupSettings current = settings;
        Duration budget = request.openTimeout().filter(t -> t.compareTo(current.openTimeout()) < 0)
                .orElse(current.openTimeout());
        new FailoverOpen(this, request, handler, preferredLoop, result, order, clock.nanoTime() + budget.toNanos())
                .start();
        return result;
    }

    private TransportException refusal(OpenRequest request) {
        if (closed) {
            return GroupCounters.refusal(name(), Reason.SHUTDOWN, "the group is closed");
        }
        if (OPENING.get().contains(this)) {
            return GroupCounters.refusal(name(), Reason.INTERNAL, "the group reached itself through its members: "
                    + "members.target of the groups involved form a cycle");
        }
        List<Member> all = members;
        if (all.isEmpty()) {
            return GroupCounters.refusal(name(), Reason.UPSTREAM_UNREACHABLE,
                    "the group has no member (members.target matches no transport)");
        }
        if (all.stream().noneMatch(member -> member.carries(request))) {
            return GroupCounters.refusal(name(), Reason.NETWORK_UNSUPPORTED, "no member carries "
                    + request.network().wireName() + " " + request.udpMode());
        }
        if (usable(request).isEmpty()) {
            probes.now();
            return GroupCounters.refusal(name(), Reason.UPSTREAM_UNREACHABLE, "every member is skipped after "
                    + "failures until a probe succeeds: " + all);
        }
        return null;
    }

    private List<Member> usable(OpenRequest request) {
        long now = clock.nanoTime();
        GroupSettings current = settings;
        boolean probing = current.probe().isPresent();
        long retryAfter = current.probeInterval().toNanos();
        return members.stream()
                .filter(member -> request == null || member.carries(request))
                .filter(member -> member.usable(now, probing, retryAfter))
                .collect(Collectors.toList());
    }

    Future<Channel> openOn(Member member, OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Set<GroupTransport> opening = OPENING.get();
        opening.add(this);
        try {
            return member.transport().open(request, handler, preferredLoop);
        } catch (RuntimeException e) {
            EventExecutor executor = preferredLoop != null ? preferredLoop : GlobalEventExecutor.INSTANCE;
            return executor.newFailedFuture(new TransportException(Reason.INTERNAL, Phase.QUEUE, member.name(),
                    "the member threw " + e, e));
        } finally {
            opening.remove(this);
        }
    }

    void memberOpened(Member member, Channel channel, boolean datagram) {
        member.opened();
        counters.succeeded(clock.now());
        counters.streamOpened(datagram);
        channel.closeFuture().addListener(closed -> counters.streamClosed(datagram));
    }

    void memberFailed(Member member, TransportException failure) {
        if (failsOver(failure)
                && !(failure.phase() == Phase.REMOTE_CONNECT && failure.reason() == Reason.DESTINATION_UNREACHABLE)) {
            GroupSettings current = settings;
            member.openFailed(clock.nanoTime(), current.failureThreshold(), current.probe().isPresent(),
                    current.probeInterval().toNanos());
        }
    }

    /** Whether another member may be tried: nothing reached the application, and the destination did not answer. */
    static boolean failsOver(TransportException failure) {
        return failure.phase() != Phase.DATA && failure.reason() != Reason.CANCELLED
                && failure.reason() != Reason.DESTINATION_REFUSED && failure.reason() != Reason.DESTINATION_DNS;
    }

    TransportException asTransportException(Throwable cause, Member member) {
        if (cause instanceof TransportException) {
            return (TransportException) cause;
        }
        if (cause instanceof CancellationException) {
            return new TransportException(Reason.CANCELLED, Phase.QUEUE, member.name(), "cancelled", cause);
        }
        return new TransportException(Reason.INTERNAL, Phase.QUEUE, member.name(),
                "the member failed the open with " + cause, cause);
    }

    void probed(Member member, ProbeResult result, long latencyNanos) {
        member.probed(result, latencyNanos, clock.nanoTime());
        strategy.probed(usable(null));
    }

    GroupClock clock() {
        return clock;
    }

    GroupScheduler scheduler() {
        return scheduler;
    }

    GroupCounters counters() {
        return counters;
    }

    GroupSettings settings() {
        return settings;
    }

    List<Member> memberList() {
        return members;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The group's own {@code transport.labels}. */
    public List<String> labels() {
        return settings.labels();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<Network> networks() {
        return networks;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public TransportStats stats() {
        TransportStats.Builder stats = counters.snapshot();
        List<Member> usable = usable(null);
        stats.extra("group.members", members.size()).extra("group.members.usable", usable.size());
        strategy.current(usable).ifPresent(member -> stats.extra("group.current." + member.name(), 1));
        for (Member member : members) {
            MemberStatus status = member.status();
            stats.extra("group.member." + member.name() + ".usable", status.usable() ? 1 : 0);
            status.lastProbe().flatMap(probe -> probe.latencyMillis().isPresent()
                    ? Optional.of(probe.latencyMillis().getAsLong()) : Optional.empty())
                    .ifPresent(millis -> stats.extra("group.member." + member.name() + ".probe.latencyMillis",
                            millis));
        }
        return stats.build();
    }

    @Override
    public TransportHealth health() {
        return health.of(members.size(), usable(null).size(), current(), members(), clock.now());
    }

    @Override
    public String strategy() {
        return settings.strategy().wireName();
    }

    @Override
    public Optional<String> current() {
        return strategy.current(usable(null)).map(Member::name);
    }

    @Override
    public Optional<String> selected() {
        Strategy current = strategy;
        return current instanceof SelectStrategy ? ((SelectStrategy) current).selected() : Optional.empty();
    }

    @Override
    public List<MemberStatus> members() {
        return members.stream().map(Member::status).collect(Collectors.toList());
    }

    @Override
    public long failovers() {
        return counters.failovers();
    }

    @Override
    public void select(String member) {
        Strategy current = strategy;
        if (!(current instanceof SelectStrategy)) {
            throw new IllegalStateException("group '" + name() + "' uses strategy " + strategy()
                    + "; only a select group takes a selection");
        }
        List<String> names = members.stream().map(Member::name).collect(Collectors.toList());
        if (!names.contains(member)) {
            throw new IllegalArgumentException("group '" + name() + "' has no member '" + member + "'; members: "
                    + names);
        }
        ((SelectStrategy) current).select(member);
        selectionStore.accept(member);
    }

    @Override
    public void probeNow() {
        probes.now();
    }

    /** Refuses new opens and stops probing; streams already open stay with their members. */
    @Override
    public void close() {
        closed = true;
        probes.stop();
    }

    @Override
    public String toString() {
        return "GroupTransport[" + name() + " " + strategy() + " " + members + "]";
    }
}
