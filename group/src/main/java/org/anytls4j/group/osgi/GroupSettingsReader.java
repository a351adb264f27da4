package org.anytls4j.group.osgi;

import org.anytls4j.common.config.DurationText;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.anytls4j.group.core.GroupSettings;
import org.anytls4j.group.core.LoadBalancing;
import org.anytls4j.group.core.StrategyKind;
import org.anytls4j.transport.api.Destination;

/** Turns a {@link GroupConfiguration} into {@link GroupSettings}, rejecting a bad value by its property name. */
final class GroupSettingsReader {
    private GroupSettingsReader() {
    }

    /** @throws IllegalArgumentException naming the property, if a value is invalid */
    static GroupSettings read(GroupConfiguration config) {
        GroupSettings.Builder builder = GroupSettings.builder(config.transport_name())
                .labels(clean(config.transport_labels()))
                .memberOrder(clean(config.members()))
                .strategy(StrategyKind.parse(config.strategy(), "strategy"))
                .loadBalancing(LoadBalancing.parse(config.loadBalancing(), "loadBalancing"))
                .selected(config.selected())
                .probeHttpPath(config.probeHttpPath() == null ? null : config.probeHttpPath().trim())
                .probeExpectedStatus(config.probeExpectedStatus())
                .probeInterval(DurationText.parseNonNegative(config.probeInterval(), "probeInterval"))
                .probeTimeout(DurationText.parseNonNegative(config.probeTimeout(), "probeTimeout"))
                .tolerance(DurationText.parseNonNegative(config.tolerance(), "tolerance"))
                .lazy(config.lazy())
                .failureThreshold(config.failureThreshold())
                .openTimeout(DurationText.parseNonNegative(config.openTimeout(), "openTimeout"));
        String probe = config.probe() == null ? "" : config.probe().trim();
        if (!probe.isEmpty()) {
            try {
                builder.probe(Destination.parse(probe));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("probe must be host:port, got '" + probe + "': "
                        + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static List<String> clean(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).map(String::trim).filter(v -> !v.isEmpty())
                .collect(Collectors.toList());
    }
}
