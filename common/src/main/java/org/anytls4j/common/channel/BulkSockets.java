package org.anytls4j.common.channel;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

/** Buffer sizing for the sockets the project relays through: the host's, the carriers' and the server's. */
public final class BulkSockets {
    private BulkSockets() {
    }

    /**
     * The first read takes up to 16 KiB (a whole TLS record, or a stream's worth of relayed bytes) and reads grow
     * to 256 KiB under load, while small exchanges shrink the buffer to 512 bytes, never to Netty's 64, which would
     * split one small TLS record over several reads. At 64 KiB every read of a bulk upload's source filled its
     * buffer: a quarter of the reads, and of the read system calls, now move the same bytes.
     */
    public static RecvByteBufAllocator receiveBuffers() {
        return new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024);
    }

    /**
     * Writability turns off at 256 KiB queued and back on at 128 KiB. A relay pauses its source while the
     * destination is unwritable, and every pause and resume costs system calls on each side (epoll interest
     * changes: a third of all the system calls of a download at Netty's 32/64 KiB marks); with wider marks a
     * backlogged transfer pauses a few times per MiB instead of dozens, for at most 256 KiB held per socket.
     */
    public static WriteBufferWaterMark writeWaterMark() {
        return new WriteBufferWaterMark(128 * 1024, 256 * 1024);
    }
}
