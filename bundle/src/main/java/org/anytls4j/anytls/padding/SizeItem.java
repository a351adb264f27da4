package org.anytls4j.anytls.padding;

/**
 * One item of a padding rule: either a size range {@code min-max} or the check mark {@code c}.
 *
 * <p>Immutable. A range with {@code min == max} always resolves to that size; otherwise it resolves to a
 * uniform value in {@code [min, max)}: max is exclusive, as in anytls-go, sing-anytls and mihomo (anytls-rs
 * is inclusive; we follow the reference, spec §16 item 2).
 */
public final class SizeItem {
    private static final SizeItem CHECK_MARK = new SizeItem(PaddingScheme.CHECK_MARK, PaddingScheme.CHECK_MARK);

    private final int min;
    private final int max;

    private SizeItem(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** The check mark {@code c}: "stop this rule if nothing is left to write". */
    public static SizeItem checkMark() {
        return CHECK_MARK;
    }

    /**
     * A size range.
     *
     * @throws IllegalArgumentException unless {@code 1 <= min <= max}
     */
    public static SizeItem range(int min, int max) {
        if (min < 1 || min > max) {
            throw new IllegalArgumentException("size range " + min + "-" + max + " needs 1 <= min <= max");
        }
        return new SizeItem(min, max);
    }

    public boolean isCheckMark() {
        return this == CHECK_MARK;
    }

    /** The lower bound (inclusive); {@link PaddingScheme#CHECK_MARK} for the check mark. */
    public int min() {
        return min;
    }

    /** The upper bound (exclusive unless equal to {@link #min()}); {@link PaddingScheme#CHECK_MARK} for the check mark. */
    public int max() {
        return max;
    }

    /** Resolves this item to a size, or to {@link PaddingScheme#CHECK_MARK}; draws from {@code random} only for a true range. */
    public int resolve(PaddingRandom random) {
        if (isCheckMark()) {
            return PaddingScheme.CHECK_MARK;
        }
        if (min == max) {
            return min;
        }
        int size = random.nextInt(min, max);
        if (size < min || size >= max) {
            throw new IllegalStateException(
                    "padding random returned " + size + " outside the requested range [" + min + ", " + max + ")");
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SizeItem item && item.min == min && item.max == max;
    }

    @Override
    public int hashCode() {
        return 31 * min + max;
    }

    /** The item as written in a scheme: {@code c} or {@code min-max}. */
    @Override
    public String toString() {
        return isCheckMark() ? "c" : min + "-" + max;
    }
}
