package org.anytls4j.anytls.session;

import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelId;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;

/**
 * The {@link DuplexChannel} surface of a channel that can end its own writes but cannot tell its peer, as an AnyTLS
 * stream (§8.4): {@link #shutdownOutput()} ends the writes locally, {@link #shutdownInput()} is not supported, and
 * {@link #shutdown()} is a close.
 */
abstract class LocalHalfCloseChannel extends AbstractChannel implements DuplexChannel {

    LocalHalfCloseChannel(Channel parent, ChannelId id) {
        super(parent, id);
    }

    /** Ends this side's writes after what was already written; on the event loop, idempotent. */
    abstract void endWrites();

    @Override
    public final ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public final ChannelFuture shutdownOutput(ChannelPromise promise) {
        if (eventLoop().inEventLoop()) {
            endWrites();
            promise.trySuccess();
        } else {
            eventLoop().execute(() -> {
                endWrites();
                promise.trySuccess();
            });
        }
        return promise;
    }

    @Override
    public final ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public final ChannelFuture shutdownInput(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException(
                "an AnyTLS stream cannot end one direction of its input (there is no half-close on the wire, §8.4)"));
    }

    @Override
    public final ChannelFuture shutdown() {
        return close();
    }

    @Override
    public final ChannelFuture shutdown(ChannelPromise promise) {
        return close(promise);
    }
}
