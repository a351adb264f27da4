package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A real JMX connection to Karaf's RMI connector on 127.0.0.1, as jconsole or a Prometheus exporter makes it. */
final class KarafJmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private KarafJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** Karaf's default service URL, {@code karaf-root}, with the console user's credentials (JMX realm karaf). */
    static KarafJmx connect(int registryPort, int serverPort, String user, String password) {
        String url = "service:jmx:rmi://127.0.0.1:" + serverPort + "/jndi/rmi://127.0.0.1:" + registryPort
                + "/karaf-root";
        try {
            return new KarafJmx(JMXConnectorFactory.connect(new JMXServiceURL(url),
                    Map.of(JMXConnector.CREDENTIALS, new String[] {user, password})));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + url, e);
        }
    }

    Object attribute(String objectName, String attribute) throws Exception {
        return server.getAttribute(new ObjectName(objectName), attribute);
    }

    Object invoke(String objectName, String operation, Object[] arguments, String[] signature) throws Exception {
        return server.invoke(new ObjectName(objectName), operation, arguments, signature);
    }

    /** Every attribute of the MBean with its value as text, for checks that no attribute holds a secret. */
    String allAttributes(String objectName) throws Exception {
        ObjectName name = new ObjectName(objectName);
        StringBuilder text = new StringBuilder();
        for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
            text.append(info.getName()).append('=').append(server.getAttribute(name, info.getName())).append('\n');
        }
        return text.toString();
    }

    boolean isRegistered(String objectName) throws Exception {
        return server.isRegistered(new ObjectName(objectName));
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
