package org.anytls4j.common.io;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Whether Netty's epoll transport can run here, and its event loops. Its classes are an optional import of the bundles
 * that embed this package: nothing here touches them unless {@link #available()} said so.
 */
public final class EpollLoops {
    private static final boolean AVAILABLE = loads();

    private EpollLoops() {
    }

    /** Whether epoll's classes and native library load (not on other systems, nor in OSGi without the fragment). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Epoll loops, or null when epoll is not {@link #available()} or its library loaded but cannot be used (seen when
     * another class loader of the same JVM loaded it first, as in OSGi frameworks sharing a JVM); {@code unusable}
     * hears why in the second case, and may throw to refuse the fallback to NIO.
     */
    public static EventLoopGroup newGroupOrNull(int threads, ThreadFactory threadFactory,
                                                Consumer<Throwable> unusable) {
        if (!AVAILABLE) {
            return null;
        }
        try {
            return new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory());
        } catch (Throwable cause) {
            unusable.accept(cause);
            return null;
        }
    }

    /** Whether {@code loop} is an epoll loop. */
    public static boolean runs(EventLoop loop) {
        return AVAILABLE && loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(EpollIoHandle.class);
    }

    private static boolean loads() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable notThere) {
            return false; // no epoll classes or no native library
        }
    }
}
