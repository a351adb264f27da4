package org.anytls4j.host.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** Event loops for tests. */
public final class NioGroups {
    private NioGroups() {
    }

    public static EventLoopGroup create(String name) {
        return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    public static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
