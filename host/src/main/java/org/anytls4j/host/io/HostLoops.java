package org.anytls4j.host.io;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.anytls4j.common.io.EpollLoops;

import java.util.concurrent.ThreadFactory;

/**
 * The host's event loops, and the socket types that register on a given loop.
 *
 * <p>The host's own loops run epoll where Netty's native transport loads and works, NIO elsewhere (another OS, or an
 * OSGi framework without the native fragment). The host touches every relayed byte twice, and a transport with
 * {@code LOOP_AFFINITY} (AnyTLS) puts its connection on the host's loop: on epoll, that connection is epoll too,
 * with edge-triggered readiness, no selector lock per write, and fewer system calls per byte than NIO.
 *
 * <p>The epoll classes are an optional import of the host bundle: nothing here touches them unless epoll loaded.
 */
public final class HostLoops {
    private static final System.Logger LOG = System.getLogger(HostLoops.class.getName());

    private HostLoops() {
    }

    /** Loops of the best I/O implementation here; {@code threads} 0 = Netty's default (twice the cores). */
    public static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        EventLoopGroup epoll = EpollLoops.newGroupOrNull(threads, threadFactory, unusable -> LOG.log(
                System.Logger.Level.WARNING, "epoll unusable, the host uses NIO: {0}", unusable.toString()));
        return epoll != null ? epoll
                : new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
    }

    /** Whether {@code loop} is an epoll loop. */
    public static boolean runsEpoll(EventLoop loop) {
        return EpollLoops.runs(loop);
    }

    /** The listening socket type for the loops of {@code group}. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
        return runsEpoll(group.next()) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The UDP socket type for {@code loop}. */
    public static Class<? extends DatagramChannel> datagramChannel(EventLoop loop) {
        return runsEpoll(loop) ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
