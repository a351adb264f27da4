package org.anytls4j.anytls.config;

import java.util.regex.Pattern;

/**
 * The syntax of instance and user names. They appear in service filters ({@code (transport.name=hk1)}), log
 * lines and file names, so they are limited to characters that need no escaping in any of these.
 */
final class InstanceName {

    static final String RULE = "1 to 64 of A-Z a-z 0-9 . _ -";

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InstanceName() {
    }

    static boolean isValid(String name) {
        return SYNTAX.matcher(name).matches();
    }

    /** The name, or an exception naming {@code property} if it breaks the rule. */
    static String require(String property, String name) {
        if (!isValid(name)) {
            throw InvalidConfigurationException.of(property, name, "expected " + RULE);
        }
        return name;
    }
}
