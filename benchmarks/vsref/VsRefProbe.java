import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The helper programs of benchmarks/run-vs-reference.sh (anything loadgen does not do), one verb per job:
 *
 * <pre>
 *   responder --listen 127.0.0.1:PORT [--nodelay false]     HTTP-shaped request/response destination
 *   relay     --listen 127.0.0.1:PORT --target H:P --count-file F   counts the TCP connections to a server
 *   ttfb      --socks H:P --target H:P --reuse true|false -n N --pause MS [--body BYTES] [--split true]
 *   jfr       FILE [--top N]                                digest of a JFR recording
 * </pre>
 */
public final class VsRefProbe {
    private VsRefProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage("no verb given");
        }
        Map<String, String> options = options(args, args[0].equals("jfr") ? 2 : 1);
        switch (args[0]) {
            case "responder" -> HttpLikeResponder.serve(Socks5Dialer.parse(required(options, "listen")),
                    Boolean.parseBoolean(options.getOrDefault("nodelay", "true")));
            case "relay" -> CountingRelay.serve(Socks5Dialer.parse(required(options, "listen")),
                    Socks5Dialer.parse(required(options, "target")), Path.of(required(options, "count-file")));
            case "ttfb" -> {
                LatencyProbe probe = probe(options);
                int n = Integer.parseInt(required(options, "n"));
                int body = Integer.parseInt(options.getOrDefault("body", "1024"));
                long pause = Long.parseLong(options.getOrDefault("pause", "20"));
                if (Boolean.parseBoolean(required(options, "reuse"))) {
                    boolean split = Boolean.parseBoolean(options.getOrDefault("split", "false"));
                    probe.reusedConnection(n, body, pause, split);
                } else {
                    probe.newConnection(n, body, pause);
                }
            }
            case "jfr" -> {
                if (args.length < 2) {
                    usage("jfr needs the recording's file name");
                }
                JfrDigest.print(Path.of(args[1]), Integer.parseInt(options.getOrDefault("top", "15")));
            }
            default -> usage("unknown verb '" + args[0] + "'");
        }
    }

    private static LatencyProbe probe(Map<String, String> options) {
        return new LatencyProbe(new Socks5Dialer(Socks5Dialer.parse(required(options, "socks")),
                Socks5Dialer.parse(required(options, "target"))));
    }

    private static Map<String, String> options(String[] args, int from) {
        Map<String, String> options = new HashMap<>();
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("-") || i + 1 >= args.length) {
                usage("expected '--name value' pairs, got '" + args[i] + "'");
            }
            options.put(args[i].replaceFirst("^-+", ""), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("missing --" + name);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("VsRefProbe: " + problem + "\nverbs: responder, relay, ttfb, jfr (see the class comment)");
        System.exit(2);
    }
}
