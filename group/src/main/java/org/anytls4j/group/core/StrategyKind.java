package org.anytls4j.group.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a group picks the member of an open. */
public enum StrategyKind {
    FALLBACK("fallback"),
    URL_TEST("url-test"),
    LOAD_BALANCE("load-balance"),
    SELECT("select");

    private final String wireName;

    StrategyKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming {@code property}, the value and the accepted names */
    public static StrategyKind parse(String text, String property) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (StrategyKind kind : values()) {
            if (kind.wireName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(property + " must be one of " + Arrays.stream(values())
                .map(StrategyKind::wireName).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
