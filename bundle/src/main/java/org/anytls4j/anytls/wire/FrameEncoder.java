package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Encodes {@link Frame}s and {@link FrameBatch}es into bytes, one output buffer per write, so that a logical write
 * stays one write for the padding layer below.
 *
 * <p>Bodies are not copied unless small: a large body (stream data) becomes a composite of a 7-byte header and the
 * body itself, which the record alignment below cuts into records without copying.
 */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Bodies up to this size are copied next to their header: one small buffer is cheaper than a composite. */
    static final int COPY_THRESHOLD = 1024;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Frame) {
            ctx.write(encode(ctx.alloc(), (Frame) msg), promise);
        } else if (msg instanceof FrameBatch) {
            ctx.write(encode(ctx.alloc(), (FrameBatch) msg), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** The bytes of {@code frame}; takes ownership of the frame. */
    public static ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
        try {
            ByteBuf body = frame.content();
            int length = body.readableBytes();
            if (length <= COPY_THRESHOLD) {
                ByteBuf out = alloc.buffer(FrameHeader.SIZE + length);
                FrameHeader.write(out, frame.command(), frame.streamId(), length);
                out.writeBytes(body, body.readerIndex(), length);
                return out;
            }
            CompositeByteBuf out = alloc.compositeBuffer(2);
            ByteBuf header = alloc.buffer(FrameHeader.SIZE);
            FrameHeader.write(header, frame.command(), frame.streamId(), length);
            out.addComponent(true, header);
            out.addComponent(true, body.retain());
            return out;
        } finally {
            frame.release();
        }
    }

    /** The bytes of every frame of {@code batch}, in order, as one buffer; takes ownership of the batch. */
    public static ByteBuf encode(ByteBufAllocator alloc, FrameBatch batch) {
        CompositeByteBuf out = alloc.compositeBuffer(Math.max(2, 2 * batch.frames().size()));
        try {
            for (Frame frame : batch.frames()) {
                out.addComponent(true, encode(alloc, frame.retain()));
            }
            return out;
        } catch (RuntimeException | Error e) {
            ReferenceCountUtil.safeRelease(out);
            throw e;
        } finally {
            batch.release();
        }
    }
}
