import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** The destination of the time-to-first-byte test: answers HttpLikeExchange requests on keep-alive connections. */
final class HttpLikeResponder {
    private HttpLikeResponder() {
    }

    /**
     * With noDelay false the responder behaves like a server that leaves Nagle on (Python's http.server, say): its
     * body waits for the ACK of its header, and a hop that delays that ACK stalls the response.
     */
    static void serve(InetSocketAddress listen, boolean noDelay) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(listen, 512);
            while (true) {
                Socket socket = server.accept();
                Daemons.start("responder", () -> answer(socket, noDelay));
            }
        }
    }

    private static void answer(Socket socket, boolean noDelay) {
        try (socket) {
            socket.setTcpNoDelay(noDelay);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            int bodySize;
            while ((bodySize = HttpLikeExchange.readRequest(in)) >= 0) {
                out.write(HttpLikeExchange.responseHeader(bodySize));
                out.flush();
                out.write(new byte[bodySize]);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }
}
