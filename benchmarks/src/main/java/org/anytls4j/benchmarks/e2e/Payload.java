package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Random;

/**
 * The bytes every transfer moves: slices of one shared direct buffer that nobody writes, so producing data costs nothing and
 * the measurement is the path, not a generator. Random content so that nothing along the way can shortcut zeros.
 */
final class Payload {
    /** Bytes per application write: what a relay reading a busy loopback socket typically hands on. */
    static final int CHUNK_SIZE = 32 * 1024;
    private static final ByteBuf SHARED = sharedChunk();

    private Payload() {
    }

    private static ByteBuf sharedChunk() {
        byte[] random = new byte[CHUNK_SIZE];
        new Random(9).nextBytes(random);
        ByteBuf direct = Unpooled.directBuffer(CHUNK_SIZE).writeBytes(random);
        return Unpooled.unreleasableBuffer(direct);
    }

    /** A view of {@code length} bytes (at most {@link #CHUNK_SIZE}); releasing it is harmless and not required. */
    static ByteBuf chunk(int length) {
        return SHARED.retainedSlice(0, length);
    }
}
