package org.anytls4j.common.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalIoHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayHandlerTest {

    @Test
    void copiesReadsToThePeerAndClosesItWhenThisSideCloses() {
        EmbeddedChannel peer = new EmbeddedChannel();
        EmbeddedChannel self = new EmbeddedChannel(new RelayHandler(peer));
        self.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        ByteBuf relayed = peer.readOutbound();
        assertThat(relayed.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        relayed.release();

        self.close();
        peer.runPendingTasks();
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void aPeerOnALoopThatStoppedIsClosedWithoutSchedulingAFlushListener() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        EventLoop stopped = group.next();
        assertThat(group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS)).isTrue();
        // A peer still active while the loop it lives on no longer takes tasks: what a relay meets with a virtual
        // channel (an AnyTLS stream) whose session's event loop stopped before the far side closed. Closing it has
        // no effect on that loop any more, so the fake only records the attempt.
        AtomicBoolean onStoppedLoop = new AtomicBoolean();
        AtomicBoolean closeRequested = new AtomicBoolean();
        EmbeddedChannel peer = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
                if (!onStoppedLoop.get()) {
                    super.close(ctx, promise);
                    return;
                }
                closeRequested.set(true); // left incomplete: the loop that would complete it is gone
            }
        }) {
            @Override
            public EventLoop eventLoop() {
                return onStoppedLoop.get() ? stopped : super.eventLoop();
            }

            @Override
            public ChannelFuture writeAndFlush(Object msg) {
                if (!onStoppedLoop.get()) {
                    return super.writeAndFlush(msg);
                }
                // What Netty answers on a loop that rejects the write task: a failed future of that loop.
                ReferenceCountUtil.release(msg);
                return new DefaultChannelPromise(this, stopped).setFailure(new RejectedExecutionException());
            }
        };
        onStoppedLoop.set(true);
        List<LogRecord> rejected = new CopyOnWriteArrayList<>();
        Logger netty = Logger.getLogger("io.netty.util.concurrent.DefaultPromise.rejectedExecution");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                rejected.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        netty.addHandler(capture);
        Level level = netty.getLevel();
        netty.setLevel(Level.ALL);
        try {
            RelayHandler.closeOnFlush(peer);
        } finally {
            netty.removeHandler(capture);
            netty.setLevel(level);
        }
        assertThat(rejected).extracting(LogRecord::getMessage).isEmpty();
        assertThat(closeRequested).isTrue();
        onStoppedLoop.set(false);
        peer.finishAndReleaseAll();
    }

    @Test
    void aReadBatchThatFillsThePeerIsFlushedAtOnceAndTheSourceKeepsReading() {
        EmbeddedChannel peer = new EmbeddedChannel();
        peer.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        EmbeddedChannel self = new EmbeddedChannel(new RelayHandler(peer));

        self.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[10]));
        self.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[10])); // 20 unflushed bytes > 16

        assertThat(self.config().isAutoRead()).as("source still reading").isTrue();
        assertThat(peer.outboundMessages()).as("flushed before the batch ended").hasSize(2);
        assertThat(peer.isWritable()).isTrue();
        assertThat(peer.finishAndReleaseAll()).isTrue();
        self.finishAndReleaseAll();
    }

    @Test
    void aPeerStillFullAfterTheFlushPausesTheSourceUntilItDrains() {
        HeldFlushes held = new HeldFlushes();
        EmbeddedChannel peer = new EmbeddedChannel(held);
        peer.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        EmbeddedChannel self = new EmbeddedChannel(new RelayHandler(peer));
        peer.pipeline().addLast(new RelayHandler(self));

        self.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[20]));

        assertThat(peer.isWritable()).isFalse();
        assertThat(self.config().isAutoRead()).as("source paused").isFalse();

        held.release(peer);

        assertThat(peer.isWritable()).isTrue();
        assertThat(self.config().isAutoRead()).as("source resumed").isTrue();
        assertThat(peer.finishAndReleaseAll()).isTrue();
        self.finishAndReleaseAll();
    }

    /** A peer whose bytes cannot leave yet: flushes wait until {@link #release}. */
    private static final class HeldFlushes extends ChannelOutboundHandlerAdapter {
        private boolean holding = true;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            }
        }

        void release(EmbeddedChannel channel) {
            holding = false;
            channel.flush();
        }
    }
}
