import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Opens a TCP tunnel through a SOCKS5 proxy (no authentication, IPv4 literal destination), as loadgen does. */
final class Socks5Dialer {
    private final InetSocketAddress proxy;
    private final InetSocketAddress target;

    Socks5Dialer(InetSocketAddress proxy, InetSocketAddress target) {
        this.proxy = proxy;
        this.target = target;
    }

    /** A connected tunnel with TCP_NODELAY set, as an interactive application (a browser) uses it. */
    Socket open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        try {
            socket.connect(proxy, 10_000);
            socket.setSoTimeout(30_000);
            handshake(socket);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(new byte[] {5, 1, 0});
        out.flush();
        byte[] greeting = new byte[2];
        in.readFully(greeting);
        if (greeting[0] != 5 || greeting[1] != 0) {
            throw new IOException("SOCKS5 greeting refused by " + proxy);
        }
        byte[] address = InetAddress.getByName(target.getHostString()).getAddress();
        if (address.length != 4) {
            throw new IOException("only IPv4 destinations are supported, got " + target);
        }
        byte[] request = new byte[10];
        request[0] = 5;
        request[1] = 1;
        request[3] = 1;
        System.arraycopy(address, 0, request, 4, 4);
        request[8] = (byte) (target.getPort() >> 8);
        request[9] = (byte) target.getPort();
        out.write(request);
        out.flush();
        byte[] reply = new byte[4];
        in.readFully(reply);
        if (reply[1] != 0) {
            throw new IOException("SOCKS5 CONNECT to " + target + " refused with reply code " + reply[1]);
        }
        int skip = switch (reply[3]) {
            case 1 -> 4 + 2;
            case 4 -> 16 + 2;
            case 3 -> in.readUnsignedByte() + 2;
            default -> throw new IOException("SOCKS5 reply with unknown address type " + reply[3]);
        };
        in.readFully(new byte[skip]);
    }

    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
