package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.function.Consumer;

/**
 * Cuts a session's unshaped writes into buffers of exactly one TLS record each, holding back the rest until the
 * next flush.
 *
 * <p>Why: {@code SslHandler} encrypts at most its wrap size (see {@link TlsRecordSize}) per record and builds a
 * record that spans two queued writes by copying both into a fresh buffer (twice, for composites such as a PSH
 * frame's header + payload). Frames are 7 bytes longer than the payload they carry, so without this every other
 * record of a bulk upload straddles two frames and is copied; with it, {@code SslHandler} takes each queued buffer
 * as one record, and the engine gathers its components without a copy.
 *
 * <p>Only for writes that may share records: while the client pads (§9.4), every shaped packet is written and
 * flushed on its own and must not pass through here. The bytes held back (less than one record) are not counted in
 * the carrier's writability.
 *
 * <p>Not thread-safe: one instance per session, on that session's event loop.
 */
final class RecordAligner {
    /** Components of the held record before the composite consolidates (copies): small frames are cheap to copy. */
    private static final int MAX_COMPONENTS = 64;

    private final int recordSize;
    private CompositeByteBuf partial;

    RecordAligner(int recordSize) {
        if (recordSize <= 0) {
            throw new IllegalArgumentException("recordSize must be positive, not " + recordSize);
        }
        this.recordSize = recordSize;
    }

    /** Bytes held back, waiting for more writes or the next {@link #drain}. */
    int pendingBytes() {
        return partial == null ? 0 : partial.readableBytes();
    }

    /**
     * Appends {@code data} (ownership passes here) and hands every record it completes to {@code records}, in order;
     * each handed buffer is owned by the consumer.
     */
    void add(ByteBufAllocator alloc, ByteBuf data, Consumer<ByteBuf> records) {
        try {
            if (!data.isReadable()) {
                return;
            }
            if (partial != null) {
                int missing = recordSize - partial.readableBytes();
                if (data.readableBytes() < missing) {
                    partial.addComponent(true, data.readRetainedSlice(data.readableBytes()));
                    return;
                }
                partial.addComponent(true, data.readRetainedSlice(missing));
                ByteBuf record = partial;
                partial = null;
                records.accept(record);
            }
            while (data.readableBytes() >= recordSize) {
                records.accept(data.readRetainedSlice(recordSize));
            }
            if (data.isReadable()) {
                partial = alloc.compositeBuffer(MAX_COMPONENTS);
                partial.addComponent(true, data.readRetainedSlice(data.readableBytes()));
            }
        } finally {
            data.release();
        }
    }

    /** Hands the held bytes, if any, to {@code records} as one (short) record. */
    void drain(Consumer<ByteBuf> records) {
        if (partial != null) {
            ByteBuf rest = partial;
            partial = null;
            records.accept(rest);
        }
    }

    /** Drops what is held, e.g. when the session is gone. */
    void release() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
