import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** The latency tests loadgen does not have; each prints key=value lines in milliseconds. */
final class LatencyProbe {
    private final Socks5Dialer dialer;

    LatencyProbe(Socks5Dialer dialer) {
        this.dialer = dialer;
    }

    /**
     * Time to first byte and to the last byte of a small response, every request on one tunnel (a keep-alive
     * connection of a browser). The pause between requests lets the hops go idle, as between a page's resources.
     */
    void reusedConnection(int requests, int bodySize, long pauseMillis, boolean splitRequest)
            throws IOException, InterruptedException {
        Quantiles firstByte = new Quantiles();
        Quantiles lastByte = new Quantiles();
        try (Socket socket = dialer.open()) {
            exchange(socket, bodySize, System.nanoTime(), false, firstByte, lastByte); // first use: not counted
            firstByte = new Quantiles();
            lastByte = new Quantiles();
            for (int i = 0; i < requests; i++) {
                Thread.sleep(pauseMillis);
                exchange(socket, bodySize, System.nanoTime(), splitRequest, firstByte, lastByte);
            }
        }
        System.out.println(firstByte.summary("ttfb"));
        System.out.println(lastByte.summary("full"));
    }

    /** The same request, each on a new tunnel: the time counts from the TCP connect to the proxy. */
    void newConnection(int requests, int bodySize, long pauseMillis) throws IOException, InterruptedException {
        Quantiles firstByte = new Quantiles();
        Quantiles lastByte = new Quantiles();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            try (Socket socket = dialer.open()) {
                exchange(socket, bodySize, start, false, firstByte, lastByte);
            }
            Thread.sleep(pauseMillis);
        }
        System.out.println(firstByte.summary("ttfb"));
        System.out.println(lastByte.summary("full"));
    }

    /**
     * One request and its response. A split request goes out in two writes, its head's last two bytes in the
     * second: the write-write-read pattern that stalls on any hop with Nagle on while the peer delays its ACK.
     */
    private static void exchange(Socket socket, int bodySize, long start, boolean splitRequest, Quantiles firstByte,
                                 Quantiles lastByte) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] request = HttpLikeExchange.request(bodySize);
        int firstWrite = splitRequest ? request.length - 2 : request.length;
        out.write(request, 0, firstWrite);
        out.flush();
        if (splitRequest) {
            out.write(request, firstWrite, 2);
            out.flush();
        }
        byte[] buffer = new byte[64 * 1024];
        int expected = HttpLikeExchange.responseSize(bodySize);
        int received = in.read(buffer);
        firstByte.add(System.nanoTime() - start);
        while (received >= 0 && received < expected) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            received += n;
        }
        if (received != expected) {
            throw new IOException("short response: " + received + " of " + expected + " bytes");
        }
        lastByte.add(System.nanoTime() - start);
    }
}
