package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Cuts and pads the logical writes of one client session into TLS records (spec §9.4, steps 3 to 5).
 *
 * <p>Each call to {@link #shape} is one packet: the first call is packet 1 (packet 0 is the auth block,
 * written outside the session). The returned buffers must be written in order and each one flushed on its
 * own, so that {@code SslHandler} turns each into exactly one TLS record; it merges writes that are flushed
 * together and would destroy the shape. Buffering the session's first frames into one write (steps 1 and 2)
 * is the session's job, not this class's.
 *
 * <p>The scheme is read again at every call, so a scheme pushed by the server applies from the next write
 * of the running session; once a packet index reaches the {@code stop} of the scheme in force, shaping is
 * off for the rest of the session, whatever later schemes say (§9.3).
 *
 * <p>Not thread-safe: one instance per session, used on that session's event loop only.
 */
public final class PacketShaper {
    private final Supplier<PaddingScheme> currentScheme;
    private final PaddingRandom random;
    private boolean shaping = true;
    private int packetCounter;

    public PacketShaper(Supplier<PaddingScheme> currentScheme, PaddingRandom random) {
        this.currentScheme = Objects.requireNonNull(currentScheme, "currentScheme");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Whether the next write may still be shaped; false for good once a packet reached {@code stop}. */
    public boolean shaping() {
        return shaping;
    }

    /** The index of the last shaped packet: 0 before the first call, then 1, 2, ... up to {@code stop}. */
    public int packetCounter() {
        return packetCounter;
    }

    /**
     * Shapes one logical write.
     *
     * @param alloc allocates the Waste frames
     * @param write the bytes of one or more whole frames; ownership passes to this method on every path
     * @return the records in order, each to be written and flushed as one TLS record; the caller owns them.
     *         When shaping is off (or turns off now) it is {@code write} itself, unchanged.
     */
    public List<ByteBuf> shape(ByteBufAllocator alloc, ByteBuf write) {
        Objects.requireNonNull(write, "write");
        if (!shaping) {
            return List.of(write);
        }
        PaddingScheme scheme;
        try {
            Objects.requireNonNull(alloc, "alloc");
            scheme = Objects.requireNonNull(currentScheme.get(), "currentScheme supplied null");
        } catch (RuntimeException e) {
            write.release();
            throw e;
        }
        packetCounter++;
        if (packetCounter >= scheme.stop()) {
            shaping = false;
            return List.of(write);
        }
        List<ByteBuf> records = new ArrayList<>();
        try {
            cut(alloc, write, scheme.sizes(packetCounter, random), records);
            if (write.isReadable()) {
                // §9.4 step 5: what the rule did not cover goes out unshaped, in one write.
                records.add(write.readRetainedSlice(write.readableBytes()));
            }
            return List.copyOf(records);
        } catch (RuntimeException | Error e) {
            records.forEach(ReferenceCountUtil::safeRelease);
            throw e;
        } finally {
            // Every record that carries payload holds its own retained slice of it.
            write.release();
        }
    }

    /** §9.4 step 3.4: one record per size, taken from the front of {@code write}. */
    private static void cut(ByteBufAllocator alloc, ByteBuf write, List<Integer> sizes, List<ByteBuf> records) {
        for (int size : sizes) {
            int left = write.readableBytes();
            if (size == PaddingScheme.CHECK_MARK) {
                if (left == 0) {
                    return;
                }
            } else if (left > size) {
                records.add(write.readRetainedSlice(size));
            } else if (left > 0) {
                records.add(padUpTo(alloc, write.readRetainedSlice(left), size));
            } else {
                // Pure padding: here the size is the Waste body, so the record is size + 7 (spec §16 item 3).
                records.add(WasteFrames.withBody(alloc, size));
            }
        }
    }

    /**
     * The rest of the write, followed by Waste so that the record is exactly {@code size} bytes; unchanged
     * when there is no room for a Waste frame with a body (the record is then up to 7 bytes short).
     */
    private static ByteBuf padUpTo(ByteBufAllocator alloc, ByteBuf rest, int size) {
        int waste = size - rest.readableBytes();
        if (waste - WasteFrames.HEADER_LENGTH <= 0) {
            return rest;
        }
        CompositeByteBuf record;
        try {
            record = alloc.compositeBuffer(2);
        } catch (RuntimeException | Error e) {
            rest.release();
            throw e;
        }
        record.addComponent(true, rest);
        try {
            record.addComponent(true, WasteFrames.filling(alloc, waste));
        } catch (RuntimeException | Error e) {
            record.release();
            throw e;
        }
        return record;
    }
}
