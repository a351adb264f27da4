package org.anytls4j.host.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.anytls4j.transport.api.TransportException.Reason;

/** How one inbound protocol tells its client the outcome of an open. */
interface TunnelReplies {
    /** Writes and flushes the success reply; relaying starts once it has been written. */
    ChannelFuture success(Channel inbound, Channel outbound);

    /** Writes the reply for a failed open (if the reason has one), then closes the inbound channel. */
    void failure(Channel inbound, Reason reason);
}
