package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An outbound message whose bytes must leave in TLS records of their own, not merged with earlier or later writes:
 * exactly one record when it fits in one ({@link TlsRecordSize#MAX_PLAINTEXT}), which is what the padding layer
 * relies on for each shaped packet (§9.4). The {@link RecordAlignmentHandler} flushes what it holds first, then this
 * message alone.
 *
 * <p>The holder owns its content.
 */
public final class WholeRecord extends DefaultByteBufHolder {
    public WholeRecord(ByteBuf content) {
        super(content);
    }
}
