package org.anytls4j.anytls.golden;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.padding.SizeItem;

/**
 * A {@link PaddingRandom} that answers each draw with the size the reference client drew for the same item of
 * the same packet, as far as the capture shows it; items whose record never went out (a check mark stopped the
 * rule) get the lower bound of their range. A draw that was not planned fails the test.
 */
final class GoldenRandom implements PaddingRandom {
    private record Draw(int origin, int boundExclusive, int value, String item) {
    }

    private final Deque<Draw> planned = new ArrayDeque<>();

    /**
     * Plans the draws the shaper makes for {@code packet} under {@code scheme}: one per range item, in order.
     *
     * @param goldenSizes the sizes the reference used for this packet's records, in record order (a pure-Waste
     *     record counts with its Waste body length, see {@link GoldenClientPackets.Packet#sizes()})
     * @return the sizes the shaper will work with, {@link PaddingScheme#CHECK_MARK} for check marks; empty when
     *     the packet is not shaped
     * @throws AssertionError if a golden size lies outside its item's range
     */
    List<Integer> plan(PaddingScheme scheme, int packet, List<Integer> goldenSizes) {
        List<Integer> sizes = new ArrayList<>();
        if (packet >= scheme.stop()) {
            return sizes;
        }
        int record = 0;
        for (SizeItem item : scheme.rule(packet)) {
            if (item.isCheckMark()) {
                sizes.add(PaddingScheme.CHECK_MARK);
                continue;
            }
            int size = item.min();
            if (item.min() != item.max()) {
                if (record < goldenSizes.size()) {
                    size = goldenSizes.get(record);
                    if (size < item.min() || size >= item.max()) {
                        throw new AssertionError("golden size " + size + " of pkt " + packet + " record " + record
                            + " lies outside rule item " + item);
                    }
                }
                planned.addLast(new Draw(item.min(), item.max(), size, "pkt " + packet + " item " + item));
            }
            sizes.add(size);
            record++;
        }
        return sizes;
    }

    @Override
    public int nextInt(int origin, int boundExclusive) {
        Draw next = planned.pollFirst();
        if (next == null) {
            throw new AssertionError("unplanned draw in [" + origin + ", " + boundExclusive + ")");
        }
        if (next.origin != origin || next.boundExclusive != boundExclusive) {
            throw new AssertionError("planned a draw for " + next.item + " but was asked for [" + origin + ", "
                + boundExclusive + ")");
        }
        return next.value;
    }

    /** Draws planned but never made; empty when the shaper drew exactly what the rules call for. */
    List<String> unusedDraws() {
        return planned.stream().map(Draw::item).toList();
    }
}
