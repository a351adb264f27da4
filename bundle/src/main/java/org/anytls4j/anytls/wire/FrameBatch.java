package org.anytls4j.anytls.wire;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * Frames written as one logical write, e.g. the PSH frames of one stream write longer than a frame: the padding
 * layer shapes a logical write as one packet, so frames that belong together travel in one of these. Owns its frames.
 */
public final class FrameBatch extends AbstractReferenceCounted {
    private final List<Frame> frames;

    public FrameBatch(Frame... frames) {
        this.frames = List.of(frames);
    }

    public List<Frame> frames() {
        return frames;
    }

    @Override
    protected void deallocate() {
        for (Frame frame : frames) {
            ReferenceCountUtil.safeRelease(frame);
        }
    }

    @Override
    public FrameBatch touch(Object hint) {
        for (Frame frame : frames) {
            frame.touch(hint);
        }
        return this;
    }

    @Override
    public String toString() {
        return "FrameBatch" + frames;
    }
}
