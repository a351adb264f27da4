package org.anytls4j.itests.support;

import io.netty.handler.ssl.SslContext;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.server.ServerStats;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TestCertificates;

import java.net.InetSocketAddress;

/**
 * An AnyTLS server run by the test itself (from the bundle's classes on the test class path, outside any
 * framework), when a test must see the server's counters: which server a stream went through, whether a drained
 * pool's sessions ended. It serves testkit's localhost certificate.
 */
public final class LoopbackAnyTlsServer implements AutoCloseable {
    private final AnyTlsServer server;

    public LoopbackAnyTlsServer(String name, IoRuntime io, String user, String password) throws Exception {
        this(name, io, user, password, PaddingScheme.DEFAULT);
    }

    /** A server that pushes {@code scheme} to every client that pads with another one. */
    public LoopbackAnyTlsServer(String name, IoRuntime io, String user, String password, PaddingScheme scheme)
            throws Exception {
        SslContext tls = TestCertificates.serverContext();
        server = AnyTlsServer.builder(name, io, () -> tls, ServerUsers.single(user, password))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .paddingScheme(() -> scheme)
                .build();
        BoundedWait.sync(server.start());
    }

    public InetSocketAddress address() {
        return server.localAddress();
    }

    /** {@code 127.0.0.1:port}, as the client's {@code server} property takes it. */
    public String hostPort() {
        return "127.0.0.1:" + address().getPort();
    }

    public ServerStats.Snapshot stats() {
        return server.stats();
    }

    @Override
    public void close() {
        server.close();
    }
}
