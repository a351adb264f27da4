import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP pass-through in front of an AnyTLS server that counts the connections (TLS sessions) clients open to it,
 * whatever the implementation of client or server. Only the session-count test goes through it.
 */
final class CountingRelay {
    private final InetSocketAddress target;
    private final Path countFile;
    private final AtomicLong accepted = new AtomicLong();

    private CountingRelay(InetSocketAddress target, Path countFile) {
        this.target = target;
        this.countFile = countFile;
    }

    static void serve(InetSocketAddress listen, InetSocketAddress target, Path countFile) throws IOException {
        new CountingRelay(target, countFile).acceptLoop(listen);
    }

    private void acceptLoop(InetSocketAddress listen) throws IOException {
        publish(0);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(listen, 512);
            while (true) {
                Socket client = server.accept();
                publish(accepted.incrementAndGet());
                Daemons.start("relay", () -> relay(client));
            }
        }
    }

    /** Written whole and renamed, so that a reader never sees half a number. */
    private synchronized void publish(long count) throws IOException {
        Path temporary = countFile.resolveSibling(countFile.getFileName() + ".tmp");
        Files.write(temporary, (count + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.move(temporary, countFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void relay(Socket client) {
        try {
            Socket server = new Socket();
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            server.connect(target, 10_000);
            AtomicInteger directionsDone = new AtomicInteger();
            Daemons.start("relay-up", () -> pump(client, server, directionsDone));
            pump(server, client, directionsDone);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Copies until end of stream, then passes the half-close on. */
    private static void pump(Socket from, Socket to, AtomicInteger directionsDone) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
            return;
        }
        if (directionsDone.incrementAndGet() == 2) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
