package org.anytls4j.itests.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * A blocking SOCKS5 CONNECT through a proxy on loopback, written from RFC 1928 so that the tests do not trust the
 * host's own codec; every read is bounded by the socket timeout.
 */
public final class Socks5Connection implements AutoCloseable {
    /** The reply code of a CONNECT the proxy carried out. */
    public static final int SUCCEEDED = 0x00;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int reply;

    private Socks5Connection(Socket socket, int reply) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.reply = reply;
    }

    /** Connects through the proxy at {@code proxy} to the IPv4 address {@code target}. */
    public static Socks5Connection open(InetSocketAddress proxy, InetSocketAddress target, Duration timeout)
            throws IOException {
        byte[] address = target.getAddress().getAddress();
        if (address.length != 4) {
            throw new IllegalArgumentException("an IPv4 target is expected, not " + target);
        }
        Socket socket = new Socket();
        try {
            socket.connect(proxy, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {5, 1, 0});
            byte[] method = new byte[2];
            in.readFully(method);
            if (method[0] != 5 || method[1] != 0) {
                throw new IOException("proxy refused the no-authentication method: " + Arrays.toString(method));
            }
            byte[] request = {5, 1, 0, 1, address[0], address[1], address[2], address[3],
                    (byte) (target.getPort() >> 8), (byte) target.getPort()};
            out.write(request);
            byte[] head = new byte[4];
            in.readFully(head);
            int addressLength = switch (head[3]) {
                case 1 -> 4;
                case 4 -> 16;
                case 3 -> in.readUnsignedByte();
                default -> throw new IOException("bad address type in the SOCKS5 reply: " + head[3]);
            };
            in.readFully(new byte[addressLength + 2]);
            return new Socks5Connection(socket, head[1] & 0xff);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The SOCKS5 reply code: 0 when the proxy connected, else the reason it did not (RFC 1928 §6). */
    public int reply() {
        return reply;
    }

    /** Sends {@code payload} and reads as many bytes back (from an echo server behind the proxy). */
    public byte[] echo(byte[] payload) throws IOException {
        out.write(payload);
        out.flush();
        byte[] back = new byte[payload.length];
        in.readFully(back);
        return back;
    }

    /** Reads exactly {@code count} bytes (a download's start). */
    public byte[] read(int count) throws IOException {
        byte[] bytes = new byte[count];
        in.readFully(bytes);
        return bytes;
    }

    /** Reads up to end of stream and returns how many bytes came; throws what the socket throws (a reset). */
    public long readToEnd() throws IOException {
        byte[] buffer = new byte[65536];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
