package org.anytls4j.anytls.fuzz;

/** How long one fuzz target runs when fuzzing for real ({@code JAZZER_FUZZ=1}); ignored in regression mode. */
final class FuzzDurations {
    /** The 10-minute runs SECURITY.md asks for; a shorter run is stopped with {@code -runs} or by hand. */
    static final String MAX = "10m";

    private FuzzDurations() {
    }
}
