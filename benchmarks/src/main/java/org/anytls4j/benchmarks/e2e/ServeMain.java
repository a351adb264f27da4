package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.TlsProvider;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The far side of the heap probe in a child JVM ({@link ChildJvm} starts it from the same jar), so that the harness's
 * own process holds only client-side descriptors and client-side heap: at 10 000 streams one process could not hold
 * every end under a 20 000-descriptor limit.
 *
 * <pre>
 *   ServeMain sink   --io=NIO|EPOLL
 *   ServeMain anytls --io=NIO|EPOLL --engine=JDK|OPENSSL --cert=CHAIN.pem --key=KEY.pem
 * </pre>
 *
 * Prints {@code port <n>} on stdout once listening on 127.0.0.1, then answers each {@code heap} line on stdin with
 * {@code heap <used heap bytes after GC> <Netty pooled direct bytes in use>}; exits when stdin ends (the harness
 * closed it, or died) or on a signal. The AnyTLS server takes the harness's benchmark user; it forwards wherever
 * the client asks (the harness asks for the sink child).
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("sink") || args[0].equals("anytls"))) {
            System.err.println("usage: ServeMain sink --io=NIO|EPOLL | anytls --io=NIO|EPOLL --engine=JDK|OPENSSL"
                    + " --cert=CHAIN.pem --key=KEY.pem");
            System.exit(2);
        }
        Map<String, String> options = options(args);
        IoRuntime.Kind io = IoRuntime.Kind.valueOf(required(options, "--io").toUpperCase(Locale.ROOT));
        PrintStream out = System.out;
        if (args[0].equals("sink")) {
            try (IoRuntime sinkIo = IoRuntime.create(io, 1, "bench-sink");
                 SinkSource sink = new SinkSource(sinkIo)) {
                serve(sink.address(), out);
            }
        } else {
            TlsProvider engine = TlsProvider.valueOf(required(options, "--engine").toUpperCase(Locale.ROOT));
            SslContext context = SslContextBuilder
                    .forServer(new File(required(options, "--cert")), new File(required(options, "--key")))
                    .sslProvider(engine.resolve())
                    .build();
            try (IoRuntime serverIo = IoRuntime.create(io, 1, Rig.SERVER_THREADS)) {
                AnyTlsServer server = AnyTlsServer.builder("bench", serverIo, () -> context,
                                ServerUsers.single(Rig.USER, Rig.PASSWORD))
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .build();
                server.start().syncUninterruptibly();
                try {
                    serve(server.localAddress(), out);
                } finally {
                    server.close();
                }
            }
        }
        // Event-loop threads are daemons, but a stray non-daemon thread must not keep a child alive.
        System.exit(0);
    }

    private static void serve(InetSocketAddress listening, PrintStream out) throws Exception {
        out.println("port " + listening.getPort());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("heap")) {
                out.println("heap " + usedHeapAfterGc() + " " + usedPooledDirect());
                out.flush();
            }
        }
    }

    static long usedHeapAfterGc() {
        // Several collections: one may leave floating garbage that the next one finds.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long usedPooledDirect() {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        return allocator instanceof ByteBufAllocatorMetricProvider
                ? ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory()
                : 0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (!args[i].startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("ServeMain: option '" + args[i] + "' is not --name=value");
            }
            options.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("ServeMain: " + name + "=... is required");
        }
        return value;
    }
}
