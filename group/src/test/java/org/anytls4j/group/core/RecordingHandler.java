package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/** An application handler (not sharable) that records the events it saw and the channels it was added to. */
final class RecordingHandler extends ChannelInboundHandlerAdapter {
    final List<String> events = new ArrayList<>();
    final List<Channel> channels = new ArrayList<>();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channels.add(ctx.channel());
        events.add("added");
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        events.add("registered");
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        events.add("active");
        ctx.fireChannelActive();
    }
}
