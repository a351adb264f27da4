package org.anytls4j.common.channel;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/** Receive-buffer sizing for the sockets the project relays through. */
public final class ReceiveBuffers {
    private ReceiveBuffers() {
    }

    /**
     * For sockets that may carry bulk transfers: the first read takes up to 16 KiB (a whole TLS record, or a
     * stream's worth of relayed bytes) and reads grow to 64 KiB under load, while small exchanges shrink the buffer
     * to 512 bytes, never to Netty's 64, which would split one small TLS record over several reads.
     */
    public static RecvByteBufAllocator forBulk() {
        return new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 64 * 1024);
    }
}
