package org.anytls4j.group.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.anytls4j.transport.api.Destination;

/**
 * The validated settings of one group. Immutable; made with {@link #builder(String)}, which rejects a bad value
 * naming its configuration property.
 */
public final class GroupSettings {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String name;
    private final List<String> labels;
    private final StrategyKind strategy;
    private final LoadBalancing loadBalancing;
    private final List<String> memberOrder;
    private final String selected;
    private final Destination probe;
    private final String probeHttpPath;
    private final int probeExpectedStatus;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Duration tolerance;
    private final boolean lazy;
    private final int failureThreshold;
    private final Duration openTimeout;

    private GroupSettings(Builder b) {
        name = b.name;
        labels = List.copyOf(b.labels);
        strategy = b.strategy;
        loadBalancing = b.loadBalancing;
        memberOrder = List.copyOf(b.memberOrder);
        selected = b.selected;
        probe = b.probe;
        probeHttpPath = b.probeHttpPath;
        probeExpectedStatus = b.probeExpectedStatus;
        probeInterval = b.probeInterval;
        probeTimeout = b.probeTimeout;
        tolerance = b.tolerance;
        lazy = b.lazy;
        failureThreshold = b.failureThreshold;
        openTimeout = b.openTimeout;
    }

    /** @throws IllegalArgumentException naming {@code transport.name}, if the name is malformed */
    public static Builder builder(String name) {
        return new Builder(checkName(name, "transport.name"));
    }

    static String checkName(String name, String property) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(property + " must be 1 to 64 of A-Z a-z 0-9 . _ -, got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name;
    }

    public String name() {
        return name;
    }

    public List<String> labels() {
        return labels;
    }

    public StrategyKind strategy() {
        return strategy;
    }

    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    /** Member names in the configured order; members not named here follow, by name. */
    public List<String> memberOrder() {
        return memberOrder;
    }

    public Optional<String> selected() {
        return Optional.ofNullable(selected);
    }

    /** Where active probes go; empty: no active probes, only passive health. */
    public Optional<Destination> probe() {
        return Optional.ofNullable(probe);
    }

    /** The path of an HTTP GET sent after the probe's TCP open; empty: the open alone is the probe. */
    public Optional<String> probeHttpPath() {
        return Optional.ofNullable(probeHttpPath);
    }

    /** The HTTP status a probe must get; 0: any status from 200 to 399. */
    public int probeExpectedStatus() {
        return probeExpectedStatus;
    }

    public Duration probeInterval() {
        return probeInterval;
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    public Duration tolerance() {
        return tolerance;
    }

    public boolean lazy() {
        return lazy;
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public Duration openTimeout() {
        return openTimeout;
    }

    /** Whether switching from these settings to {@code next} needs the probe timer restarted. */
    boolean probingDiffers(GroupSettings next) {
        return !Objects.equals(probe, next.probe) || !Objects.equals(probeHttpPath, next.probeHttpPath)
                || probeExpectedStatus != next.probeExpectedStatus || !probeInterval.equals(next.probeInterval)
                || !probeTimeout.equals(next.probeTimeout) || lazy != next.lazy;
    }

    @Override
    public String toString() {
        return "group " + name + " strategy=" + strategy.wireName()
                + (strategy == StrategyKind.LOAD_BALANCE ? "/" + loadBalancing.wireName() : "")
                + " members=" + memberOrder + (selected != null ? " selected=" + selected : "")
                + " probe=" + (probe == null ? "none" : probe + (probeHttpPath != null ? probeHttpPath : ""))
                + " interval=" + probeInterval + " tolerance=" + tolerance + " lazy=" + lazy;
    }

    /** Collects the settings of a group; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private List<String> labels = List.of();
        private StrategyKind strategy = StrategyKind.FALLBACK;
        private LoadBalancing loadBalancing = LoadBalancing.CONSISTENT_HASHING;
        private List<String> memberOrder = List.of();
        private String selected;
        private Destination probe;
        private String probeHttpPath;
        private int probeExpectedStatus;
        private Duration probeInterval = Duration.ofMinutes(5);
        private Duration probeTimeout = Duration.ofSeconds(5);
        private Duration tolerance = Duration.ofMillis(50);
        private boolean lazy = true;
        private int failureThreshold = 1;
        private Duration openTimeout = Duration.ofSeconds(10);

        private Builder(String name) {
            this.name = name;
        }

        public Builder labels(List<String> labels) {
            this.labels = List.copyOf(labels);
            return this;
        }

        public Builder strategy(StrategyKind strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
            return this;
        }

        /** @throws IllegalArgumentException naming {@code members}, if a name is malformed or repeated */
        public Builder memberOrder(List<String> names) {
            for (String member : names) {
                checkName(member, "members");
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new IllegalArgumentException("members must not name a member twice, got " + names);
            }
            this.memberOrder = List.copyOf(names);
            return this;
        }

        /** @param member {@code null} for none */
        public Builder selected(String member) {
            this.selected = member == null || member.isBlank() ? null : checkName(member.trim(), "selected");
            return this;
        }

        /** @param probe {@code null} for no active probes */
        public Builder probe(Destination probe) {
            this.probe = probe;
            return this;
        }

        /** @param path {@code null} or empty for a TCP-only probe; otherwise starts with '/' */
        public Builder probeHttpPath(String path) {
            if (path == null || path.isEmpty()) {
                this.probeHttpPath = null;
                return this;
            }
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("probeHttpPath must start with '/' and contain no spaces or "
                        + "control characters, got '" + path + "'");
            }
            this.probeHttpPath = path;
            return this;
        }

        public Builder probeExpectedStatus(int status) {
            if (status != 0 && (status < 100 || status > 599)) {
                throw new IllegalArgumentException("probeExpectedStatus must be 0 (any 2xx or 3xx) or 100..599, got "
                        + status);
            }
            this.probeExpectedStatus = status;
            return this;
        }

        public Builder probeInterval(Duration interval) {
            this.probeInterval = positive(interval, "probeInterval");
            return this;
        }

        public Builder probeTimeout(Duration timeout) {
            this.probeTimeout = positive(timeout, "probeTimeout");
            return this;
        }

        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        public Builder lazy(boolean lazy) {
            this.lazy = lazy;
            return this;
        }

        public Builder failureThreshold(int threshold) {
            if (threshold < 1 || threshold > 100) {
                throw new IllegalArgumentException("failureThreshold must be 1..100, got " + threshold);
            }
            this.failureThreshold = threshold;
            return this;
        }

        public Builder openTimeout(Duration timeout) {
            this.openTimeout = positive(timeout, "openTimeout");
            return this;
        }

        private static Duration positive(Duration value, String property) {
            Objects.requireNonNull(value, property);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(property + " must be positive, got " + value);
            }
            return value;
        }

        /** @throws IllegalArgumentException naming {@code probe}, if a url-test group has no probe target */
        public GroupSettings build() {
            if (strategy == StrategyKind.URL_TEST && probe == null) {
                throw new IllegalArgumentException("probe must be set (host:port) for strategy url-test");
            }
            return new GroupSettings(this);
        }
    }
}
