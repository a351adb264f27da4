package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports on 127.0.0.1 that were free a moment ago, for listeners in another process (Karaf) whose port must be
 * written into a file before it starts. Each port comes from binding port 0 and reading it back; the ports handed
 * out by one instance are distinct.
 */
final class FreePorts {
    private final Set<Integer> handedOut = new HashSet<>();

    int next() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = bindEphemeral();
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the system handed out only already used ports: " + handedOut);
    }

    private static int bindEphemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:0", e);
        }
    }
}
