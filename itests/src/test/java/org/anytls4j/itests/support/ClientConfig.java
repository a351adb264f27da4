package org.anytls4j.itests.support;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

/** Properties of one client factory configuration, as a test writes them into Configuration Admin. */
public final class ClientConfig {
    private final Hashtable<String, Object> properties = new Hashtable<>();

    private ClientConfig(String transportName) {
        properties.put("transport.name", transportName);
    }

    /**
     * A client of the server at {@code hostPort} trusting testkit's localhost certificate (written under
     * {@code pki}); the certificate names 127.0.0.1, so the server is given by address and no SNI is needed.
     */
    public static ClientConfig of(String transportName, String hostPort, String password, Path pki) {
        return new ClientConfig(transportName)
                .set("server", hostPort)
                .set(".password", password)
                .set("trustedCertificate", TestPki.certificate(pki).toString());
    }

    public ClientConfig set(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public ClientConfig remove(String name) {
        properties.remove(name);
        return this;
    }

    public Dictionary<String, Object> toDictionary() {
        return new Hashtable<>(properties);
    }
}
