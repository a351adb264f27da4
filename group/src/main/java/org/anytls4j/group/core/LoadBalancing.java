package org.anytls4j.group.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a {@code load-balance} group spreads opens. */
public enum LoadBalancing {
    /** By destination: one site stays on one member (and its pooled sessions) while the members are stable. */
    CONSISTENT_HASHING("consistent-hashing"),
    /** Each open to the next usable member. */
    ROUND_ROBIN("round-robin");

    private final String wireName;

    LoadBalancing(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming {@code property}, the value and the accepted names */
    public static LoadBalancing parse(String text, String property) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (LoadBalancing kind : values()) {
            if (kind.wireName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(property + " must be one of " + Arrays.stream(values())
                .map(LoadBalancing::wireName).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
