package org.anytls4j.itests.support;

import java.net.InetSocketAddress;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A factory configuration of the reference host ({@code org.anytls4j.host}) on 127.0.0.1, port 0. */
public final class HostConfig {
    public static final String PID = "org.anytls4j.host";
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    private final Hashtable<String, Object> properties = new Hashtable<>();

    private HostConfig() {
    }

    /** A host routing every request through the transport named {@code transportName}. */
    public static HostConfig via(String name, String transportName) {
        return new HostConfig()
                .set("name", name)
                .set("listenAddress", "127.0.0.1")
                .set("port", "0")
                .set("outbound.target", "(transport.name=" + transportName + ")");
    }

    public HostConfig set(String property, Object value) {
        properties.put(property, value);
        return this;
    }

    public Dictionary<String, Object> toDictionary() {
        return new Hashtable<>(properties);
    }

    /**
     * Completes with the address the host named {@code name} listens on next, from its log: ask before the
     * configuration change that (re)starts its listener.
     */
    public static CompletableFuture<InetSocketAddress> bound(LogCapture log, String name) {
        String prefix = "proxy '" + name + "' listening on";
        return log.next(record -> LogCapture.text(record).contains(prefix)).thenApply(record -> {
            Matcher port = PORT.matcher(LogCapture.text(record).trim());
            if (!port.find()) {
                throw new IllegalStateException("no port in " + LogCapture.text(record));
            }
            return new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));
        });
    }
}
