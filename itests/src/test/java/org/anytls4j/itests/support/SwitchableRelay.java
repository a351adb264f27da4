package org.anytls4j.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a server, which a test can kill (the listener and every relayed connection
 * close, as when the server dies) and revive on the same port, and which can hold each chunk back by a fixed delay
 * in both directions, to make a server slow. Plain sockets and threads: it is a peer, not code under test.
 */
public final class SwitchableRelay implements AutoCloseable {
    private final InetSocketAddress target;
    private final long delayMillis;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Connections that carry nothing any more, either way, and stay open. */
    private final Set<Socket> silenced = ConcurrentHashMap.newKeySet();
    /** The client ends of the relayed connections (the sockets the relay accepted). */
    private final Set<Socket> fromClients = ConcurrentHashMap.newKeySet();
    /** Connections that close at the client's next byte. */
    private final Set<Socket> doomed = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket listener;

    public SwitchableRelay(InetSocketAddress target, long delayMillis) throws IOException {
        this.target = target;
        this.delayMillis = delayMillis;
        this.port = listen(0);
    }

    private int listen(int wanted) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        listener = socket;
        Thread acceptor = new Thread(() -> accept(socket), "relay-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return socket.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, for a client's {@code server} property. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                fromClients.add(client);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by kill(), or the server is gone: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (doomed.contains(from)) {
                        break; // closes both sides below
                    }
                    if (silenced.contains(from)) {
                        continue; // swallowed: nothing reaches the other side, nothing tells either side
                    }
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis); // the relay's whole purpose: a slow path
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The connections open now go silent in both directions and stay open, as when a NAT forgot them; connections
     * made later are relayed as usual.
     */
    public void blackholeExisting() {
        silenced.addAll(sockets);
    }

    /**
     * The connections open now close at the first byte the client sends, as when the server restarted while they
     * were idle (its kernel answers the client's next segment with a reset); bytes the server sent before still pass,
     * so the cut hits the next open and never an idle session by chance. Connections made later are relayed as usual.
     */
    public void resetExistingOnData() {
        doomed.addAll(fromClients);
    }

    /** The server "dies": nothing listens on the port any more and every relayed connection is closed. */
    public void kill() {
        closeQuietly(listener);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * The server's connections drop without a FIN, as when its host vanishes: every relayed connection is reset
     * (TCP RST) on both sides; the listener stays.
     */
    public void cut() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException alreadyClosed) {
                // its pump closed it already
            }
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** The server is back, on the same port. */
    public void revive() throws IOException {
        listen(port);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        kill();
    }
}
