package org.anytls4j.transport.api.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The data plane of an outbound transport: opens a stream or a datagram flow as a Netty child {@link Channel}, the
 * contract both sides already understand (buffer ownership, writability, autoRead, half-close, threading).
 *
 * <h2>Contract of {@link #open(OpenRequest, ChannelHandler, EventLoop) open}</h2>
 * Every transport follows these rules, and hosts may rely on them:
 * <ol>
 *   <li><b>Never blocks.</b> {@code open} returns at once. It does no I/O and no DNS resolution on the calling
 *       thread, and none that blocks an event loop (so never Netty's {@code DefaultAddressResolverGroup}).</li>
 *   <li><b>Handler first, then active.</b> {@code handler} (usually a {@code ChannelInitializer}) is in the
 *       channel's pipeline before the channel is registered. {@code channelActive} fires exactly when the future
 *       succeeds, never earlier. A failed open never fires {@code channelActive} and never reports its failure
 *       through {@code exceptionCaught}: the future carries it.</li>
 *   <li><b>Failures are {@link TransportException}s.</b> The future fails only with a {@code TransportException}
 *       (the open timeout of the request as {@code TIMEOUT}, a cancel as {@code CANCELLED}). When it fails,
 *       anything half-built has already been closed.</li>
 *   <li><b>Cancel frees the stream, not the carrier.</b> {@code future.cancel(false)} aborts the attempt: it
 *       frees the stream and its pool slot, and tells the far end if the open already went out, but it never
 *       closes a carrier shared with other streams. If a cancel races with success, the transport closes the
 *       new channel.</li>
 *   <li><b>Messages.</b> For TCP the channel reads and writes {@link io.netty.buffer.ByteBuf}; for UDP it reads
 *       and writes {@link TransportDatagram} (in {@code CONNECTED} mode the peer of an outbound datagram is
 *       ignored). Any other message is released and its write fails. {@code remoteAddress()} is the request's
 *       destination (unresolved for a domain); {@code localAddress()} is the carrier's local address, or null.
 *       The handler that reads a message owns it and releases it.</li>
 *   <li><b>Backpressure.</b> {@code isWritable()} and {@code channelWritabilityChanged} reflect the transport's
 *       buffering, and {@code config().setAutoRead(false)} with explicit {@code read()} is honoured. Buffers are
 *       bounded. A {@code MULTIPLEXED} transport documents its head-of-line behaviour.</li>
 *   <li><b>Half-close.</b> With the {@code HALF_CLOSE} capability the channel is a {@code DuplexChannel}:
 *       {@code shutdownOutput()} sends a stream-level FIN, and a remote FIN arrives as a
 *       {@code ChannelInputShutdownEvent} when {@code ALLOW_HALF_CLOSURE} is set, as on sockets. Without it, a
 *       remote FIN closes the channel; the channel may still be a {@code DuplexChannel} whose
 *       {@code shutdownOutput()} only ends this side's writes without telling the far end (such a channel does not
 *       know the {@code ALLOW_HALF_CLOSURE} option), which lets a multiplexing transport reuse the carrier while the
 *       answer still arrives.</li>
 *   <li><b>Early data.</b> With the {@code EARLY_DATA} capability a TCP request with
 *       {@link OpenRequest#earlyData()} completes before the far end reached the destination; see there.</li>
 *   <li><b>Errors after open</b> arrive as {@code exceptionCaught} with a {@code TransportException} in phase
 *       {@code DATA}, followed by close. That is how a host tells an <em>abnormal end</em> from a clean one: a
 *       stream that ended without the far end's FIN (its session lost or timed out, a TLS or protocol error, the
 *       transport stopping, an open that failed after it was confirmed) fires {@code exceptionCaught} before it
 *       closes, and a stream that ended cleanly (the far end's FIN, or a local close) closes without it. A
 *       transport whose channel is a plain socket reports the socket's own failure (a destination's reset) as
 *       Netty does, {@code exceptionCaught(IOException)} then close. The reference host answers an abnormal end
 *       with a TCP reset of the application's connection.</li>
 *   <li><b>One thread.</b> Every event of the channel runs on {@code channel.eventLoop()}: the preferred loop for
 *       a transport with {@code LOOP_AFFINITY}, otherwise the loop the transport chose (for example its carrier
 *       session's). The future's listeners may run on that loop too. The transport never calls host handlers while
 *       holding its own locks.</li>
 *   <li><b>Attributes.</b> {@link TransportAttributes#REQUEST}, {@link TransportAttributes#CHAIN},
 *       {@link TransportAttributes#CONFIRMED} and {@link TransportAttributes#UPSTREAM} are set before the future
 *       completes.</li>
 * </ol>
 */
@ConsumerType
public interface NettyOutboundTransport extends OutboundTransport {
    /**
     * Opens a stream (TCP request) or a datagram flow (UDP request), following the contract in the class comment.
     *
     * @param request       what to open
     * @param handler       added to the new channel's pipeline before it is registered; usually a
     *                      {@code ChannelInitializer}, or a {@code @Sharable} handler
     * @param preferredLoop the loop the host would like the channel on (typically its inbound channel's, to avoid
     *                      thread hops); {@code null} for no preference. Honoured by transports with
     *                      {@code LOOP_AFFINITY}; a hint for the others
     * @return a future completed with the active channel, or failed with a {@link TransportException}
     */
    Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop);

    /** {@link #open(OpenRequest, ChannelHandler, EventLoop)} without a preferred loop. */
    default Future<Channel> open(OpenRequest request, ChannelHandler handler) {
        return open(request, handler, null);
    }
}
