package org.anytls4j.itests.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundle jars the pom copies into {@code target/osgi-bundles} (system property {@code itests.bundles}), by the
 * artifact names without versions.
 */
public final class BundleFiles {
    public static final String API = "anytls4j-transport-api.jar";
    public static final String ANYTLS = "anytls4j-bundle.jar";
    public static final String HOST = "anytls4j-host.jar";
    public static final String GROUP = "anytls4j-group.jar";

    /** Declarative Services, Configuration Admin and Metatype, with what they need that is not shared. */
    public static final List<String> OSGI_SERVICES = List.of(
            "org.osgi.service.log.jar",
            "org.apache.felix.configadmin.jar",
            "org.apache.felix.metatype.jar",
            "org.apache.felix.scr.jar");

    /** The API bundles Felix SCR needs (SCR does not export them itself). */
    public static final List<String> SCR_APIS = List.of(
            "org.osgi.util.function.jar",
            "org.osgi.util.promise.jar",
            "org.osgi.service.component.jar");

    /** Every Netty bundle the AnyTLS bundle needs, with the optional native fragments (epoll, BoringSSL). */
    public static final List<String> NETTY = List.of(
            "netty-common.jar",
            "netty-buffer.jar",
            "netty-transport.jar",
            "netty-resolver.jar",
            "netty-codec-base.jar",
            "netty-codec-dns.jar",
            "netty-transport-native-unix-common.jar",
            "netty-handler.jar",
            "netty-resolver-dns.jar",
            "netty-transport-classes-epoll.jar",
            "netty-transport-native-epoll-linux-x86_64.jar",
            "netty-tcnative-classes.jar",
            "netty-tcnative-boringssl-static-linux-x86_64.jar");

    /** Bouncy Castle 1.84, which only {@code fingerprint = chrome} needs (feature anytls4j-fingerprint in Karaf). */
    public static final List<String> BOUNCY_CASTLE = List.of(
            "bcprov-jdk18on.jar",
            "bcutil-jdk18on.jar",
            "bctls-jdk18on.jar");

    private BundleFiles() {
    }

    public static Path directory() {
        String dir = System.getProperty("itests.bundles");
        if (dir == null) {
            throw new IllegalStateException("system property itests.bundles is not set: run the tests through Maven "
                    + "(mvn verify -pl itests), which copies the bundles first");
        }
        return Path.of(dir);
    }

    public static Path file(String name) {
        Path file = directory().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("bundle " + file + " is missing: the pom's copy-osgi-bundles step did "
                    + "not copy it");
        }
        return file;
    }
}
