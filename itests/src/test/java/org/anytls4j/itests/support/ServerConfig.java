package org.anytls4j.itests.support;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogRecord;

/**
 * Properties of one server factory configuration: 127.0.0.1, an ephemeral port (the component publishes no
 * service, so the bound port is read from its "listening on" log record), testkit's certificate, one user.
 */
public final class ServerConfig {
    private final Hashtable<String, Object> properties = new Hashtable<>();
    private final String name;

    private ServerConfig(String name) {
        this.name = name;
        properties.put("name", name);
    }

    public static ServerConfig of(String name, String user, String password, Path pki) {
        return new ServerConfig(name)
                .set("listenAddress", "127.0.0.1")
                .set("port", "0")
                .set("certificateFile", TestPki.certificate(pki).toString())
                .set("privateKeyFile", TestPki.privateKey(pki).toString())
                .set(".users", user + ":" + password);
    }

    public ServerConfig set(String property, Object value) {
        properties.put(property, value);
        return this;
    }

    public Dictionary<String, Object> toDictionary() {
        return new Hashtable<>(properties);
    }

    /** Completes with the address the server bound, from its log; ask before configuring it. */
    public CompletableFuture<InetSocketAddress> bound(LogCapture log) {
        String prefix = "AnyTLS server " + name + " listening on";
        return log.first(record -> LogCapture.text(record).contains(prefix))
                .thenApply(ServerConfig::address);
    }

    private static InetSocketAddress address(LogRecord record) {
        Object[] parameters = record.getParameters();
        Object address = parameters == null ? null : parameters[parameters.length - 1];
        if (!(address instanceof InetSocketAddress bound)) {
            throw new IllegalStateException("no bound address in " + LogCapture.text(record));
        }
        return bound;
    }
}
