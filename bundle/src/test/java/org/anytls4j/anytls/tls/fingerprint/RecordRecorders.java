package org.anytls4j.anytls.tls.fingerprint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.util.ArrayList;
import java.util.List;

/** Outbound taps for tests: the plaintext writes entering the TLS handler and the records leaving it. */
final class RecordRecorders {
    private RecordRecorders() {
    }

    /** Sits under the TLS handler (socket side) and reads TLS record headers out of the outbound byte stream. */
    static final class WireRecords extends ChannelOutboundHandlerAdapter {
        private final List<int[]> records = new ArrayList<>();
        private final byte[] header = new byte[5];
        private int headerFill;
        private int bodyLeft;
        private volatile boolean recording;

        void startRecording() {
            recording = true;
        }

        /** {type, length} of every record since {@link #startRecording()}. */
        synchronized List<int[]> records() {
            return new ArrayList<>(records);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                scan((ByteBuf) msg);
            }
            ctx.write(msg, promise);
        }

        private synchronized void scan(ByteBuf out) {
            for (int i = out.readerIndex(); i < out.writerIndex(); ) {
                if (bodyLeft > 0) {
                    int skip = Math.min(bodyLeft, out.writerIndex() - i);
                    bodyLeft -= skip;
                    i += skip;
                    continue;
                }
                header[headerFill++] = out.getByte(i++);
                if (headerFill == header.length) {
                    headerFill = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (recording) {
                        records.add(new int[] {header[0] & 0xff, bodyLeft});
                    }
                }
            }
        }
    }

    /** Sits above the TLS handler and notes the size of every plaintext write handed to it. */
    static final class PlainWrites extends ChannelOutboundHandlerAdapter {
        private final List<Integer> sizes = new ArrayList<>();

        synchronized List<Integer> sizes() {
            return new ArrayList<>(sizes);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                synchronized (this) {
                    sizes.add(((ByteBuf) msg).readableBytes());
                }
            }
            ctx.write(msg, promise);
        }
    }
}
