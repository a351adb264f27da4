package org.anytls4j.anytls.server;

import io.netty.channel.ChannelHandler;

/** Makes the handler that serves a UDP-over-TCP v2 stream (§13) once its magic destination was read. */
@FunctionalInterface
public interface UdpStreamHandlerFactory {
    ChannelHandler newHandler();
}
