package org.anytls4j.anytls.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Remembers every buffer it hands out, so that a fuzz target can prove after each input that all of them were
 * released. Netty's leak detector only reports a leak after a garbage collection, far too late and too slow for
 * millions of inputs; this check is exact and immediate.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false, true);
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        CompositeByteBuf composite = delegate.compositeHeapBuffer(maxNumComponents);
        allocated.add(composite);
        return composite;
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A buffer holding {@code bytes}, tracked like every other. */
    ByteBuf copyOf(byte[] bytes, int offset, int length) {
        ByteBuf buffer = buffer(length);
        buffer.writeBytes(bytes, offset, length);
        return buffer;
    }

    int allocatedCount() {
        return allocated.size();
    }

    /**
     * Fails when a buffer handed out since the last call is still referenced, then forgets them all (releasing the
     * leaked ones, so that one finding does not cascade into every later input).
     */
    void assertAllReleased(String afterWhat) {
        List<String> leaked = new ArrayList<>();
        for (ByteBuf buffer : allocated) {
            int references = buffer.refCnt();
            if (references != 0) {
                leaked.add(buffer.getClass().getSimpleName() + "(refCnt=" + references + ", capacity="
                        + buffer.capacity() + ")");
                buffer.release(references);
            }
        }
        allocated.clear();
        if (!leaked.isEmpty()) {
            throw new AssertionError(leaked.size() + " buffer(s) still referenced after " + afterWhat + ": "
                    + leaked);
        }
    }

    private ByteBuf track(ByteBuf buffer) {
        allocated.add(buffer);
        return buffer;
    }
}
