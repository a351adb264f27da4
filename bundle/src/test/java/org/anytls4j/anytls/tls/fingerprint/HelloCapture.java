package org.anytls4j.anytls.tls.fingerprint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener on 127.0.0.1 (port 0) that reads the ClientHello of every connection, keeps it, and hangs up: the
 * client's handshake then fails, which is fine, the hello is what is measured.
 */
final class HelloCapture implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<Object> hellos = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    HelloCapture() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::acceptLoop, "hello-capture");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next captured hello, waiting at most {@code seconds}. */
    ParsedClientHello next(long seconds) throws Exception {
        Object hello = hellos.poll(seconds, TimeUnit.SECONDS);
        if (hello == null) {
            throw new AssertionError("no ClientHello within " + seconds + " s");
        }
        if (hello instanceof Exception) {
            throw (Exception) hello;
        }
        return (ParsedClientHello) hello;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                hellos.add(read(socket.getInputStream()));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    hellos.add(e);
                }
            } catch (RuntimeException e) {
                hellos.add(e);
            }
        }
    }

    private static ParsedClientHello read(InputStream in) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new IOException("the client hung up after " + wire.size() + " bytes");
            }
            wire.write(buffer, 0, read);
            ParsedClientHello hello = ParsedClientHello.parse(wire.toByteArray());
            if (hello != null) {
                return hello;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
