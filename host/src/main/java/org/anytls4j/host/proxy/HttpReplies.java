package org.anytls4j.host.proxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.Optional;
import org.anytls4j.transport.api.TransportException.Reason;

/** HTTP CONNECT responses: {@code 200 Connection Established}, or an error status and close. */
final class HttpReplies implements TunnelReplies {
    static final HttpReplies INSTANCE = new HttpReplies();

    private HttpReplies() {
    }

    @Override
    public ChannelFuture success(Channel inbound, Channel outbound) {
        return write(inbound, HttpStatus.OK.statusLine() + "\r\n\r\n");
    }

    @Override
    public void failure(Channel inbound, Reason reason) {
        Optional<HttpStatus> status = ReplyCodes.http(reason);
        if (status.isEmpty()) {
            inbound.close();
            return;
        }
        reject(inbound, status.get(), "");
    }

    /**
     * Answers {@code status} with an empty body and closes.
     *
     * @param headers extra header lines, each ending in CRLF; may be empty
     */
    static void reject(Channel inbound, HttpStatus status, String headers) {
        write(inbound, status.statusLine() + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static ChannelFuture write(Channel inbound, String text) {
        return inbound.writeAndFlush(ByteBufUtil.writeAscii(inbound.alloc(), text));
    }
}
