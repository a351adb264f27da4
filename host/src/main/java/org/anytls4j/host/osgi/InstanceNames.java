package org.anytls4j.host.osgi;

import java.util.regex.Pattern;

/** The syntax of instance names: short, and safe in logs, metrics and LDAP filters. */
final class InstanceNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InstanceNames() {
    }

    /** @throws IllegalArgumentException naming {@code property}, if {@code name} is missing or malformed */
    static String check(String name, String property) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(property + " must be 1 to 64 of A-Z a-z 0-9 . _ -, got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name;
    }
}
