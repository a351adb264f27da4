package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The last handler before {@link SslHandler} in a carrier pipeline: it hands the TLS engine one buffer per TLS record.
 *
 * <ul>
 *   <li>A plain {@link ByteBuf} may share records with its neighbours: it is cut at record boundaries
 *       ({@link RecordAligner}) and the remainder is held until the next flush, so that {@code SslHandler} never
 *       builds a record by copying two queued buffers together.</li>
 *   <li>A {@link WholeRecord} is one record on its own: the held bytes are flushed first, then the record, then a
 *       flush, so nothing can join it.</li>
 * </ul>
 *
 * <p>Why records are made contiguous for OpenSSL: {@code SslHandler} passes a direct composite to an OpenSSL engine as
 * an array of NIO buffers, and that engine seals each buffer with its own {@code SSL_write}, i.e. as its own record. A
 * shaped packet of five frames then leaves as five records (a run of 24-byte records no other AnyTLS client sends),
 * and every bulk record as a 7-byte header record plus a payload record. The JDK engine gathers the array into one
 * record, so there the composite is kept and nothing is copied.
 *
 * <p>Added after the TLS handshake (the record size depends on the negotiated protocol); not thread-safe, like every
 * handler of the carrier's pipeline.
 */
public final class RecordAlignmentHandler extends ChannelOutboundHandlerAdapter {
    private RecordAligner aligner;
    private boolean contiguousRecords;
    /** Whether anything went down since the last flush; a flush of nothing is not passed on. */
    private boolean unflushed;
    private ChannelHandlerContext ctx;
    private final Consumer<ByteBuf> writeRecord = this::writeRecord;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        aligner = new RecordAligner(TlsRecordSize.configure(tls));
        contiguousRecords = tls != null && TlsRecordSize.sealsEachBufferAsRecord(tls.engine());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        aligner.release();
    }

    /** Bytes held back until the next flush: less than one record. */
    public int pendingBytes() {
        return aligner.pendingBytes();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WholeRecord) {
            ByteBuf record = ((WholeRecord) msg).content();
            flushHeldBytes();
            ctx.write(contiguous(record), promise);
            ctx.flush();
            unflushed = false;
        } else if (msg instanceof ByteBuf) {
            // Frames written here are owned by the session; their individual promises carry nothing a caller waits for.
            aligner.add(ctx.alloc(), (ByteBuf) msg, writeRecord);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
            unflushed = true;
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        aligner.drain(writeRecord);
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void flushHeldBytes() {
        if (aligner.pendingBytes() > 0) {
            aligner.drain(writeRecord);
        }
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void writeRecord(ByteBuf record) {
        ctx.write(contiguous(record), ctx.voidPromise());
        unflushed = true;
    }

    private ByteBuf contiguous(ByteBuf record) {
        if (!contiguousRecords || record.nioBufferCount() == 1) {
            return record;
        }
        try {
            ByteBuf copy = ctx.alloc().directBuffer(record.readableBytes());
            // Part by part: writeBytes(ByteBuf) into a buffer of Netty's adaptive allocator asks the source for one
            // NIO buffer, and a composite answers that by merging itself into a newly allocated heap buffer, an
            // extra allocation and copy of every record (85 % of the bytes allocated during a download, by JFR).
            for (ByteBuffer part : record.nioBuffers()) {
                copy.writeBytes(part);
            }
            return copy;
        } finally {
            record.release();
        }
    }
}
