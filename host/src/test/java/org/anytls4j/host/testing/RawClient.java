package org.anytls4j.host.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking test client that writes raw protocol bytes and reads answers, with a bounded read timeout so a test
 * can never hang.
 */
public final class RawClient implements AutoCloseable {
    public static final int TIMEOUT_MILLIS = 10_000;
    private final Socket socket;
    private final InputStream in;

    public RawClient(InetSocketAddress proxy) throws IOException {
        socket = new Socket();
        socket.connect(proxy, TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = socket.getInputStream();
    }

    public RawClient write(byte... bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public RawClient write(String ascii) throws IOException {
        return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public byte[] read(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new IOException("connection ended after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** Everything up to end of stream; throws what the socket throws (a reset, or the read timeout). */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Reads up to and including the blank line that ends an HTTP response head. */
    public String readHttpHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection ended inside the response head: " + head);
            }
            head.write(next);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (end of stream) within the read timeout, without sending more. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Half-closes: sends FIN and keeps reading. */
    public RawClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
