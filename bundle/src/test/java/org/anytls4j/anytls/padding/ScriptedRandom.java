package org.anytls4j.anytls.padding;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@link PaddingRandom} that answers a script of expected draws and fails on any draw it did not expect. */
final class ScriptedRandom implements PaddingRandom {
    private record Draw(int origin, int boundExclusive, int value) {
    }

    private final Deque<Draw> script = new ArrayDeque<>();

    /** Expects a draw in {@code [origin, boundExclusive)} next and answers {@code value}. */
    ScriptedRandom expect(int origin, int boundExclusive, int value) {
        script.addLast(new Draw(origin, boundExclusive, value));
        return this;
    }

    @Override
    public int nextInt(int origin, int boundExclusive) {
        Draw next = script.pollFirst();
        if (next == null) {
            throw new AssertionError("unexpected draw in [" + origin + ", " + boundExclusive + "): script is empty");
        }
        if (next.origin != origin || next.boundExclusive != boundExclusive) {
            throw new AssertionError("expected a draw in [" + next.origin + ", " + next.boundExclusive
                    + ") but was asked for [" + origin + ", " + boundExclusive + ")");
        }
        return next.value;
    }

    void assertExhausted() {
        assertThat(script).as("draws the code under test never asked for").isEmpty();
    }
}
