package org.anytls4j.itests.support;

import org.anytls4j.anytls.padding.PaddingScheme;

import org.anytls4j.anytls.io.IoRuntime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the transports under test talk to, outside the framework: an echo server, AnyTLS servers when a test needs
 * their counters, and the PEM files of testkit's certificate. One per test class.
 */
public final class Peers implements AutoCloseable {
    private final IoRuntime io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "itest-peers");
    private final EchoServer echo = new EchoServer(io.group());
    private final Path pki;
    private final List<LoopbackAnyTlsServer> servers = new ArrayList<>();

    public Peers(String name) {
        pki = TestPki.write(Path.of(System.getProperty("itests.work", "target/itests-work"), name + "-pki"));
    }

    public EchoServer echo() {
        return echo;
    }

    public Path pki() {
        return pki;
    }

    /** A new AnyTLS server on 127.0.0.1 accepting {@code password}, closed with the peers. */
    public LoopbackAnyTlsServer anyTlsServer(String name, String password) throws Exception {
        LoopbackAnyTlsServer server = new LoopbackAnyTlsServer(name, io, "user", password);
        servers.add(server);
        return server;
    }

    /** Like {@link #anyTlsServer(String, String)}, pushing {@code scheme} to clients that pad otherwise. */
    public LoopbackAnyTlsServer anyTlsServer(String name, String password, PaddingScheme scheme) throws Exception {
        LoopbackAnyTlsServer server = new LoopbackAnyTlsServer(name, io, "user", password, scheme);
        servers.add(server);
        return server;
    }

    @Override
    public void close() {
        for (LoopbackAnyTlsServer server : servers) {
            server.close();
        }
        echo.close();
        io.close();
    }
}
