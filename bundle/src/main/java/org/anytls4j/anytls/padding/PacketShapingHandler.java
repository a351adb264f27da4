package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.anytls.tls.WholeRecord;

/**
 * Shapes the first packets of a client session (§9.4) in the carrier pipeline, between the frame encoder and the
 * record alignment.
 *
 * <ul>
 *   <li><b>Packet 1 coalescing</b> (steps 1-2): every encoded write before the first flush is held and leaves as one
 *       packet at that flush, so the client's Settings, the first SYN and the first stream's address travel
 *       together, as the reference client sends them.</li>
 *   <li><b>Shaping</b> (steps 3-5): after that, each write is one packet, cut and padded by {@link PacketShaper} into
 *       records that each leave as one TLS record ({@link WholeRecord}).</li>
 *   <li>Once the scheme's {@code stop} is reached, writes pass through untouched and flushes are batched as usual.</li>
 * </ul>
 */
public final class PacketShapingHandler extends ChannelOutboundHandlerAdapter {
    private final PacketShaper shaper;
    /**
     * Packet 1 while it is coalesced; made at the first write, so that a session that never writes (a warm one
     * still idle when its framework stops and its event loop ends before the close runs) holds no buffer.
     */
    private CompositeByteBuf firstPacket;
    private boolean coalescing = true;
    private boolean removed;

    public PacketShapingHandler(PacketShaper shaper) {
        this.shaper = shaper;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        if (firstPacket != null) {
            firstPacket.release();
            firstPacket = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf write = (ByteBuf) msg;
        if (coalescing) {
            if (removed) {
                ReferenceCountUtil.safeRelease(write);
                promise.tryFailure(new IllegalStateException("the shaping handler was removed"));
                return;
            }
            if (firstPacket == null) {
                firstPacket = ctx.alloc().compositeBuffer();
            }
            firstPacket.addComponent(true, write);
            promise.trySuccess();
            return;
        }
        if (!shaper.shaping()) {
            ctx.write(write, promise);
            return;
        }
        shape(ctx, write);
        promise.trySuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (coalescing && firstPacket != null && firstPacket.isReadable()) {
            coalescing = false;
            ByteBuf packet = firstPacket;
            firstPacket = null;
            shape(ctx, packet);
        }
        ctx.flush();
    }

    private void shape(ChannelHandlerContext ctx, ByteBuf packet) {
        // Every record of a shaped packet, the unshaped rest and the packet that reaches stop included, leaves on its
        // own: merged with a neighbour it would no longer have the size the scheme drew.
        for (ByteBuf record : shaper.shape(ctx.alloc(), packet)) {
            ctx.write(new WholeRecord(record), ctx.voidPromise());
        }
    }
}
