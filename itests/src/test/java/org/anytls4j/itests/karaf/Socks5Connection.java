package org.anytls4j.itests.karaf;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * A SOCKS5 CONNECT through a proxy, written against RFC 1928 with plain sockets so that the client side shares no
 * code with the host under test: no authentication, an IPv4 destination. Every read is bounded by a socket
 * timeout.
 */
final class Socks5Connection implements AutoCloseable {
    static final int SUCCEEDED = 0x00;
    private static final int VERSION = 0x05;
    private static final int NO_AUTHENTICATION = 0x00;
    private static final int CONNECT = 0x01;
    private static final int IPV4 = 0x01;
    private static final int DOMAIN = 0x03;
    private static final int IPV6 = 0x04;

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

    /**
     * Connects to {@code proxy}, negotiates no authentication and asks for a CONNECT to {@code destination}.
     * Returns the connection whatever the proxy replied: {@link #reply()} tells whether the CONNECT succeeded.
     */
    static Socks5Connection open(InetSocketAddress proxy, InetSocketAddress destination, Duration timeout)
            throws IOException {
        if (!(destination.getAddress() instanceof Inet4Address address)) {
            throw new IllegalArgumentException("destination must be a resolved IPv4 address, got " + destination);
        }
        Socket socket = new Socket();
        try {
            socket.connect(proxy, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            out.write(new byte[] {VERSION, 1, NO_AUTHENTICATION});
            out.flush();
            byte[] method = new byte[2];
            in.readFully(method);
            if (method[0] != VERSION || method[1] != NO_AUTHENTICATION) {
                throw new IOException("proxy " + proxy + " refused the method 'no authentication': answered "
                        + Arrays.toString(method));
            }

            byte[] request = new byte[10];
            request[0] = VERSION;
            request[1] = CONNECT;
            request[2] = 0;
            request[3] = IPV4;
            System.arraycopy(address.getAddress(), 0, request, 4, 4);
            request[8] = (byte) (destination.getPort() >>> 8);
            request[9] = (byte) destination.getPort();
            out.write(request);
            out.flush();

            int version = in.readUnsignedByte();
            int reply = in.readUnsignedByte();
            in.readUnsignedByte(); // reserved
            if (version != VERSION) {
                throw new IOException("proxy " + proxy + " answered the CONNECT with version " + version);
            }
            skipBoundAddress(in, in.readUnsignedByte());
            return new Socks5Connection(socket, reply);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void skipBoundAddress(DataInputStream in, int type) throws IOException {
        int length = switch (type) {
            case IPV4 -> 4;
            case IPV6 -> 16;
            case DOMAIN -> in.readUnsignedByte();
            default -> throw new IOException("unknown address type " + type + " in the SOCKS5 reply");
        };
        in.readFully(new byte[length + 2]); // address and port
    }

    /** The REP field of the proxy's answer: {@link #SUCCEEDED}, or the RFC 1928 failure code. */
    int reply() {
        return reply;
    }

    /** Sends {@code data} and reads as many bytes back; fails if the peer closes or stays silent too long. */
    byte[] echo(byte[] data) throws IOException {
        out.write(data);
        out.flush();
        byte[] back = new byte[data.length];
        in.readFully(back);
        return back;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
