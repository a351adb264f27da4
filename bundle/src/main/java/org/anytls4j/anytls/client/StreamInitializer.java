package org.anytls4j.anytls.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.anytls4j.common.channel.AttachOnActive;
import io.netty.channel.ChannelInitializer;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.netty.TransportAttributes;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Sets the SPI attributes of a new stream, wraps UDP flows in the datagram codec, and places the host's handler so
 * that it joins the pipeline only once the stream is confirmed ({@link AttachOnActive}).
 */
final class StreamInitializer extends ChannelInitializer<Channel> {
    private final OpenRequest request;
    private final ChannelHandler handler;
    private final String sessionId;
    private final String transportName;
    private final InetSocketAddress server;

    StreamInitializer(OpenRequest request, ChannelHandler handler, String sessionId, String transportName,
                      InetSocketAddress server) {
        this.request = request;
        this.handler = handler;
        this.sessionId = sessionId;
        this.transportName = transportName;
        this.server = server;
    }

    @Override
    protected void initChannel(Channel stream) {
        stream.attr(TransportAttributes.REQUEST).set(request);
        stream.attr(TransportAttributes.UPSTREAM).set(server);
        stream.attr(TransportAttributes.SESSION_ID).set(sessionId);
        stream.attr(TransportAttributes.CHAIN).set(List.of(transportName));
        if (request.network() == Network.UDP) {
            stream.pipeline().addLast("uot", new UdpOverTcpClientCodec(request.udpMode(), request.destination()));
        }
        stream.pipeline().addLast(new AttachOnActive(handler));
    }
}
