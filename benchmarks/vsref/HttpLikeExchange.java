import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The small request/response exchange of the time-to-first-byte test: an HTTP/1.1-shaped GET in one write, answered
 * by a header in one write and a body in a second write, the way many HTTP servers answer (which is what exposes a
 * Nagle / delayed-ACK interaction on any hop that leaves Nagle on).
 */
final class HttpLikeExchange {
    private HttpLikeExchange() {
    }

    static byte[] request(int bodySize) {
        String padding = "x".repeat(300);
        return ("GET /" + bodySize + " HTTP/1.1\r\nHost: sink\r\nUser-Agent: vsref\r\nX-Padding: " + padding
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] responseHeader(int bodySize) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + bodySize
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static int responseSize(int bodySize) {
        return responseHeader(bodySize).length + bodySize;
    }

    /** Reads one request head; returns the body size it asks for, or -1 at end of stream. */
    static int readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            head.append((char) b);
            if (head.length() > 8192) {
                throw new IOException("request head longer than 8 KiB");
            }
        }
        String line = head.substring(0, head.indexOf("\r\n"));
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[1].startsWith("/")) {
            throw new IOException("not a request line: '" + line + "'");
        }
        return Integer.parseInt(parts[1].substring(1));
    }
}
