package org.anytls4j.management.shell;

import java.util.List;

/** Reads {@code -n N} / {@code --count N} given after a command's arguments, where Karaf's parser leaves them. */
final class TrailingCount {
    private TrailingCount() {
    }

    /**
     * @param trailing what followed the arguments, or null
     * @param fallback the count given as an option before the arguments, or its default
     * @throws IllegalArgumentException naming the text, for anything else than one {@code -n N}
     */
    static int parse(List<String> trailing, int fallback) {
        if (trailing == null || trailing.isEmpty()) {
            return fallback;
        }
        if (trailing.size() == 2 && (trailing.get(0).equals("-n") || trailing.get(0).equals("--count"))) {
            try {
                return Integer.parseInt(trailing.get(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-n needs a number, got '" + trailing.get(1) + "'");
            }
        }
        throw new IllegalArgumentException("Unexpected arguments " + trailing + "; usage: transport:test NAME HOST:PORT [-n N]");
    }
}
