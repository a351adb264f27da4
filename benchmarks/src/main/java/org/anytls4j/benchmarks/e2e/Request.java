package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/** What a measuring client asks {@link SinkSource} for: a direction byte and a byte count. */
record Request(boolean download, long bytes) {
    static final int LENGTH = 9;
    private static final byte DOWNLOAD = 'D';
    private static final byte UPLOAD = 'U';

    Request {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a transfer needs a positive byte count, was " + bytes);
        }
    }

    ByteBuf encode(ByteBufAllocator alloc) {
        return alloc.buffer(LENGTH).writeByte(download ? DOWNLOAD : UPLOAD).writeLong(bytes);
    }

    static Request decode(byte[] header) {
        ByteBuffer in = ByteBuffer.wrap(header);
        byte direction = in.get();
        if (direction != DOWNLOAD && direction != UPLOAD) {
            throw new IllegalArgumentException("unknown transfer direction byte " + direction);
        }
        return new Request(direction == DOWNLOAD, in.getLong());
    }
}
