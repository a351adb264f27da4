package org.anytls4j.benchmarks.e2e;

import io.netty.pkitesting.X509Bundle;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.TestCertificates;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of the heap probe out of the harness's process: one sink child, {@code servers} AnyTLS server
 * children for open streams and one more for idle sessions ({@link ServeMain}), all on 127.0.0.1, serving the same
 * certificate the harness's client trusts. The idle-session server is separate so that the sessions the first probe
 * closes, still being torn down over there, do not count in the second probe's baseline.
 *
 * <p>Why several servers: the pool runs one stream per session, so each open stream costs an AnyTLS server two
 * descriptors (the accepted carrier and its connection to the sink). Two servers each take half of 10 000 streams
 * (10 000 descriptors each), the sink takes 10 000, the harness's client 10 000; no process comes near the hard
 * limit of 20 000 here.
 */
final class SplitServers implements AutoCloseable {
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ChildJvm> servers = new ArrayList<>();
    private final ChildJvm sink;
    private final ChildJvm idleServer;
    private final File chain;
    private final File key;

    SplitServers(TlsProvider engine, IoRuntime.Kind io, int serverCount) throws IOException, InterruptedException {
        X509Bundle certificate = TestCertificates.localhost();
        chain = certificate.toTempCertChainPem();
        key = certificate.toTempPrivateKeyPem();
        try {
            sink = child("sink", List.of("sink", "--io=" + io));
            List<String> server = List.of("anytls", "--io=" + io, "--engine=" + engine,
                    "--cert=" + chain.getAbsolutePath(), "--key=" + key.getAbsolutePath());
            for (int i = 0; i < serverCount; i++) {
                servers.add(child("anytls-" + i, server));
            }
            idleServer = child("anytls-idle", server);
            for (ChildJvm child : children) {
                child.port();
            }
        } catch (IOException | InterruptedException | RuntimeException failed) {
            close();
            throw failed;
        }
    }

    private ChildJvm child(String name, List<String> arguments) throws IOException {
        ChildJvm child = ChildJvm.start(name, arguments);
        children.add(child);
        return child;
    }

    InetSocketAddress sinkAddress() throws InterruptedException {
        return new InetSocketAddress("127.0.0.1", sink.port());
    }

    /** The AnyTLS server children for open streams, each listening on 127.0.0.1. */
    List<ChildJvm> servers() {
        return List.copyOf(servers);
    }

    /** The AnyTLS server child for idle sessions. */
    ChildJvm idleServer() {
        return idleServer;
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildJvm child : children) {
            child.close();
        }
        for (File file : new File[] {chain, key}) {
            try {
                Files.deleteIfExists(file.toPath());
            } catch (IOException leftBehind) {
                // A temp file of a public test certificate; nothing to protect.
            }
        }
    }
}
