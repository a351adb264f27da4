package org.anytls4j.anytls.client;

import io.netty.handler.ssl.SslContext;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;

import java.net.InetSocketAddress;

/**
 * What the client transport tests open streams against: an AnyTLS server (user {@code u}, password {@code pw}, the
 * test certificate) and a TCP echo server, both on 127.0.0.1 and on an I/O runtime of their own.
 */
final class LoopbackAnyTls implements AutoCloseable {
    final IoRuntime io;
    final TcpEchoServer echo;
    final AnyTlsServer server;

    private LoopbackAnyTls(IoRuntime io, TcpEchoServer echo, AnyTlsServer server) {
        this.io = io;
        this.echo = echo;
        this.server = server;
    }

    /** Starts both servers; {@code name} names the runtime's threads. */
    static LoopbackAnyTls start(String name) throws Exception {
        IoRuntime io = IoRuntime.create(IoRuntime.Kind.NIO, 2, name);
        TcpEchoServer echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        AnyTlsServer server = AnyTlsServer.builder("loopback", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        BoundedWait.sync(server.start());
        return new LoopbackAnyTls(io, echo, server);
    }

    @Override
    public void close() throws Exception {
        server.close();
        echo.close();
        io.close();
    }
}
