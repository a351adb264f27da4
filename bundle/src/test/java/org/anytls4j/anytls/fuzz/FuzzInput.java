package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * How fuzz targets turn one fuzzer input into network reads: the first bytes choose how the stream is cut into
 * chunks (TCP and TLS cut it anywhere), the rest is the stream.
 */
final class FuzzInput {
    private final int[] chunkSizes;
    private final byte[] stream;

    private FuzzInput(int[] chunkSizes, byte[] stream) {
        this.chunkSizes = chunkSizes;
        this.stream = stream;
    }

    /** Consumes a chunking plan and then everything else as the stream. */
    static FuzzInput from(FuzzedDataProvider data) {
        int[] chunks = new int[data.consumeInt(1, 6)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = data.consumeInt(1, 512);
        }
        return new FuzzInput(chunks, data.consumeRemainingAsBytes());
    }

    /** The same chunking plan for another stream. */
    FuzzInput withStream(byte[] other) {
        return new FuzzInput(chunkSizes, other);
    }

    byte[] stream() {
        return stream;
    }

    /**
     * Writes the stream into {@code channel} chunk by chunk, each chunk a buffer from {@code alloc}; stops early
     * once the channel closed (a real socket would stop reading too).
     *
     * @return the number of bytes delivered
     */
    int feed(EmbeddedChannel channel, TrackingAllocator alloc) {
        int offset = 0;
        int chunk = 0;
        while (offset < stream.length && channel.isOpen()) {
            int length = Math.min(chunkSizes[chunk++ % chunkSizes.length], stream.length - offset);
            channel.writeInbound(alloc.copyOf(stream, offset, length));
            channel.runPendingTasks();
            offset += length;
        }
        return offset;
    }
}
