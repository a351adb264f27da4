package org.anytls4j.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A destination on 127.0.0.1 that sends every connection {@code size} bytes (a repeating pattern) and then closes
 * it with a FIN, one thread per connection. A slow reader makes it wait (TCP backpressure), so a large download
 * stays in progress until the test has done what it wanted mid-way. Plain sockets: it is a peer, not code under
 * test.
 */
public final class DownloadServer implements AutoCloseable {
    private final ServerSocket listener;
    private final long size;

    public DownloadServer(long size) throws IOException {
        this.size = size;
        listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "download-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The byte at {@code offset} of every download. */
    public static byte byteAt(long offset) {
        return (byte) (offset % 251);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                Thread sender = new Thread(() -> send(connection), "download-send");
                sender.setDaemon(true);
                sender.start();
            } catch (IOException closed) {
                // close() stopped the listener
            }
        }
    }

    private void send(Socket connection) {
        byte[] chunk = new byte[251 * 64];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = byteAt(i);
        }
        try (Socket socket = connection; OutputStream out = socket.getOutputStream()) {
            long left = size;
            while (left > 0) {
                int length = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, length);
                left -= length;
            }
            socket.shutdownOutput();
        } catch (IOException cut) {
            // the download was cut: the test looks at what the client saw
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
