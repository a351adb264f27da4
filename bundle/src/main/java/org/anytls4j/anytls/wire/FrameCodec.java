package org.anytls4j.anytls.wire;

import io.netty.channel.CombinedChannelDuplexHandler;

/** The frame layer of a carrier pipeline: bytes to {@link Frame}s inbound, typed frames to bytes outbound. */
public final class FrameCodec extends CombinedChannelDuplexHandler<FrameDecoder, FrameEncoder> {
    public FrameCodec() {
        this(false);
    }

    /** @param streamPshBodies see {@link FrameDecoder#FrameDecoder(boolean)} */
    public FrameCodec(boolean streamPshBodies) {
        super(new FrameDecoder(streamPshBodies), new FrameEncoder());
    }
}
