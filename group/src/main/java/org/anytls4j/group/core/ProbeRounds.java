package org.anytls4j.group.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Active health checks: a round probes every member, every {@code probeInterval}. A lazy group skips a round
 * when nothing was opened through it since the last one, and the first open after such a pause starts a round at
 * once, so results are fresh while the group is used and nothing is probed while it is idle.
 */
final class ProbeRounds {
    private final GroupTransport group;
    private final Prober prober;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean usedSinceRound = new AtomicBoolean();
    private final AtomicLong lastRoundNanos = new AtomicLong();
    private GroupScheduler.Cancellable timer;
    private long generation;

    ProbeRounds(GroupTransport group) {
        this.group = group;
        this.prober = new Prober(group);
    }

    /** (Re)starts the timer for the group's current settings. */
    void restart() {
        GroupSettings settings = group.settings();
        long interval = settings.probeInterval().toNanos();
        long mine;
        synchronized (this) {
            cancelTimer();
            mine = ++generation;
        }
        lastRoundNanos.set(group.clock().nanoTime() - interval);
        if (settings.probe().isEmpty()) {
            return;
        }
        schedule(mine, settings.lazy() ? interval : 0);
    }

    void stop() {
        synchronized (this) {
            cancelTimer();
            generation++;
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void schedule(long mine, long delayNanos) {
        synchronized (this) {
            if (mine != generation || group.closed()) {
                return;
            }
            timer = group.scheduler().schedule(() -> tick(mine), delayNanos);
        }
    }

    private void tick(long mine) {
        synchronized (this) {
            if (mine != generation) {
                return;
            }
        }
        GroupSettings settings = group.settings();
        if (!settings.lazy() || usedSinceRound.getAndSet(false)) {
            round();
        }
        schedule(mine, settings.probeInterval().toNanos());
    }

    /** An open went through the group. */
    void used() {
        usedSinceRound.set(true);
        GroupSettings settings = group.settings();
        if (!settings.lazy() || settings.probe().isEmpty()) {
            return;
        }
        long now = group.clock().nanoTime();
        long last = lastRoundNanos.get();
        if (now - last >= settings.probeInterval().toNanos() && lastRoundNanos.compareAndSet(last, now)) {
            group.scheduler().schedule(this::round, 0);
        }
    }

    /**
     * A member joined: an eager group probes it at once, on its own (a round already running would not include
     * it), a lazy one when the group is used.
     */
    void memberAdded(Member member) {
        GroupSettings settings = group.settings();
        if (settings.probe().isPresent() && !settings.lazy()) {
            group.scheduler().schedule(() -> {
                if (!group.closed() && group.memberList().contains(member)) {
                    prober.probe(member, group.settings(), () -> { });
                }
            }, 0);
        }
    }

    /** Probes every member now, on the scheduler, unless a round is running. */
    void now() {
        if (group.settings().probe().isPresent()) {
            group.scheduler().schedule(this::round, 0);
        }
    }

    private void round() {
        GroupSettings settings = group.settings();
        List<Member> members = group.memberList();
        if (settings.probe().isEmpty() || group.closed() || members.isEmpty()
                || !running.compareAndSet(false, true)) {
            return;
        }
        lastRoundNanos.set(group.clock().nanoTime());
        AtomicInteger left = new AtomicInteger(members.size());
        for (Member member : members) {
            prober.probe(member, settings, () -> {
                if (left.decrementAndGet() == 0) {
                    running.set(false);
                }
            });
        }
    }
}
