package org.anytls4j.host.testing;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** SOCKS5 messages as raw bytes (RFC 1928, RFC 1929), for tests that play the client. */
public final class Socks5 {
    public static final byte NO_AUTH = 0x00;
    public static final byte PASSWORD = 0x02;
    public static final byte CONNECT = 0x01;
    public static final byte BIND = 0x02;
    public static final byte UDP_ASSOCIATE = 0x03;

    private Socks5() {
    }

    /** Greets with {@code methods} and returns the chosen method byte. */
    public static byte greet(RawClient client, byte... methods) throws IOException {
        byte[] greeting = new byte[2 + methods.length];
        greeting[0] = 5;
        greeting[1] = (byte) methods.length;
        System.arraycopy(methods, 0, greeting, 2, methods.length);
        byte[] answer = client.write(greeting).read(2);
        if (answer[0] != 5) {
            throw new IOException("not a SOCKS5 method answer: version " + answer[0]);
        }
        return answer[1];
    }

    /** Sends RFC 1929 credentials and returns the status byte (0 = success). */
    public static byte login(RawClient client, String user, String password) throws IOException {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(1);
        request.write(name.length);
        request.writeBytes(name);
        request.write(secret.length);
        request.writeBytes(secret);
        return client.write(request.toByteArray()).read(2)[1];
    }

    /** Sends a command for an IPv4 address and returns the reply. */
    public static Reply command(RawClient client, byte command, InetSocketAddress target) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(new byte[] {5, command, 0, 1});
        request.writeBytes(target.getAddress().getAddress());
        request.write(target.getPort() >> 8);
        request.write(target.getPort());
        client.write(request.toByteArray());
        return readReply(client);
    }

    /** Sends a command for a domain name and returns the reply. */
    public static Reply command(RawClient client, byte command, String domain, int port) throws IOException {
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(new byte[] {5, command, 0, 3, (byte) name.length});
        request.writeBytes(name);
        request.write(port >> 8);
        request.write(port);
        client.write(request.toByteArray());
        return readReply(client);
    }

    private static Reply readReply(RawClient client) throws IOException {
        byte[] head = client.read(4);
        if (head[3] != 1) {
            throw new IOException("test client expects IPv4 BND.ADDR, got address type " + head[3]);
        }
        byte[] rest = client.read(6);
        InetAddress address = InetAddress.getByAddress(java.util.Arrays.copyOfRange(rest, 0, 4));
        int port = ((rest[4] & 0xff) << 8) | (rest[5] & 0xff);
        return new Reply(head[1], new InetSocketAddress(address, port));
    }

    /** A command reply: REP and BND.ADDR:BND.PORT. */
    public static final class Reply {
        public final byte code;
        public final InetSocketAddress bound;

        Reply(byte code, InetSocketAddress bound) {
            this.code = code;
            this.bound = bound;
        }
    }

    /** A SOCKS5 UDP datagram to an IPv4 peer. */
    public static byte[] udpDatagram(InetSocketAddress peer, byte[] payload) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(new byte[] {0, 0, 0, 1});
        packet.writeBytes(peer.getAddress().getAddress());
        packet.write(peer.getPort() >> 8);
        packet.write(peer.getPort());
        packet.writeBytes(payload);
        return packet.toByteArray();
    }

    /** A SOCKS5 UDP datagram to a domain peer. */
    public static byte[] udpDatagram(String domain, int port, byte[] payload) {
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(new byte[] {0, 0, 0, 3, (byte) name.length});
        packet.writeBytes(name);
        packet.write(port >> 8);
        packet.write(port);
        packet.writeBytes(payload);
        return packet.toByteArray();
    }
}
