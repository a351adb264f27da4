package org.anytls4j.anytls.padding;

import java.security.SecureRandom;

/**
 * The source of the random record sizes drawn from {@code min-max} items of a {@link PaddingScheme}.
 *
 * <p>It is an interface so that tests can pin exact record sizes; production code uses {@link #secure()}.
 */
@FunctionalInterface
public interface PaddingRandom {

    /**
     * Returns a uniformly distributed value in {@code [origin, boundExclusive)}.
     *
     * @throws IllegalArgumentException if {@code origin >= boundExclusive}
     */
    int nextInt(int origin, int boundExclusive);

    /**
     * A source backed by its own {@link SecureRandom}.
     *
     * <p>Why not {@code ThreadLocalRandom}: the sizes are what a censor observes, and the reference
     * (anytls-go) draws them from {@code crypto/rand}; a predictable generator would let an observer who
     * sees a few sizes guess the rest. Sizes are drawn only for the first few writes of a session, so
     * the cost of a secure generator does not matter.
     */
    static PaddingRandom secure() {
        SecureRandom random = new SecureRandom();
        return (origin, boundExclusive) -> {
            if (origin >= boundExclusive) {
                throw new IllegalArgumentException(
                        "empty range: origin " + origin + " >= boundExclusive " + boundExclusive);
            }
            return random.nextInt(origin, boundExclusive);
        };
    }
}
