package org.anytls4j.management.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** The JMX names of anytls4j's MBeans: {@code org.anytls4j:type=transport|server,name=<name>}. */
public final class ObjectNames {
    public static final String DOMAIN = "org.anytls4j";

    private ObjectNames() {
    }

    public static String transport(String name) {
        return of("transport", name);
    }

    public static String server(String name) {
        return of("server", name);
    }

    /** Quotes a name that holds a character ObjectName reserves (instance names normally do not). */
    static String of(String type, String name) {
        String value = name.matches("[A-Za-z0-9._-]+") ? name : ObjectName.quote(name);
        String text = DOMAIN + ":type=" + type + ",name=" + value;
        try {
            return new ObjectName(text).toString();
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("cannot make a JMX name of '" + name + "': " + e.getMessage(), e);
        }
    }
}
