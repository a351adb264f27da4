package org.anytls4j.anytls.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 that forwards one connection to {@code target} and reads the TLS record headers of what
 * the client sends, as a censor on the path would: content type and length of every record, in order.
 */
final class TlsRecordTap implements AutoCloseable {
    /** One TLS record header as seen on the wire. */
    static final class Record {
        final int contentType;
        final int length;

        Record(int contentType, int length) {
            this.contentType = contentType;
            this.length = length;
        }

        @Override
        public String toString() {
            return contentType + ":" + length;
        }
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Record> clientRecords = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    TlsRecordTap(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptOne, "tls-record-tap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** Waits until the client sent at least {@code count} records, then returns them all. */
    List<Record> awaitClientRecords(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (clientRecords) {
            while (clientRecords.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + clientRecords.size() + " client records within " + timeout
                            + " " + unit + ": " + clientRecords);
                }
                TimeUnit.NANOSECONDS.timedWait(clientRecords, left);
            }
            return List.copyOf(clientRecords);
        }
    }

    private void acceptOne() {
        try {
            Socket client = listener.accept();
            Socket server = new Socket(target.getAddress(), target.getPort());
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(server);
            }
            Thread upstream = new Thread(() -> pump(client, server, true), "tap-up");
            Thread downstream = new Thread(() -> pump(server, client, false), "tap-down");
            upstream.setDaemon(true);
            downstream.setDaemon(true);
            upstream.start();
            downstream.start();
        } catch (IOException e) {
            // The tap was closed before a client came.
        }
    }

    private void pump(Socket from, Socket to, boolean parse) {
        byte[] header = new byte[5];
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            if (!parse) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                }
                return;
            }
            while (readFully(in, header, 5)) {
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (!readFully(in, buffer, length)) {
                    return;
                }
                synchronized (clientRecords) {
                    clientRecords.add(new Record(header[0] & 0xff, length));
                    clientRecords.notifyAll();
                }
                out.write(header);
                out.write(buffer, 0, length);
            }
        } catch (IOException e) {
            // A side closed.
        } finally {
            closeQuietly(to);
        }
    }

    private static boolean readFully(InputStream in, byte[] into, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, done, length - done);
            if (n < 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            sockets.forEach(TlsRecordTap::closeQuietly);
        }
    }
}
