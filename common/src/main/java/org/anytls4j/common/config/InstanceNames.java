package org.anytls4j.common.config;

import java.util.regex.Pattern;

/**
 * The syntax of instance and user names of every configuration in this project. They appear in service filters
 * ({@code (transport.name=hk1)}), log lines and file names, so they are limited to characters that need no escaping
 * in any of these.
 */
public final class InstanceNames {

    /** The rule, as error messages state it. */
    public static final String RULE = "1 to 64 of A-Z a-z 0-9 . _ -";

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InstanceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && SYNTAX.matcher(name).matches();
    }

    /** @throws IllegalArgumentException naming {@code property}, if {@code name} is missing or breaks the rule */
    public static String check(String name, String property) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(property + " must be " + RULE + ", got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name;
    }
}
