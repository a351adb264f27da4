package org.anytls4j.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakRecorderTest {
    @Test
    void aDroppedBufferIsReportedAsALeak() {
        assertTrue(LeakRecorder.isInstalled(), "the launcher session listener installs the recorder");
        leakOneBuffer();
        List<String> leaks = LeakRecorder.collectLeaks();
        assertFalse(leaks.isEmpty(), "a buffer dropped without release() must be reported");
        assertTrue(leaks.get(0).contains("ByteBuf"), leaks.get(0));
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        buffer.writeLong(42);
        buffer.release();
        assertTrue(LeakRecorder.collectLeaks().isEmpty());
    }

    private static void leakOneBuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        buffer.writeInt(7);
    }
}
