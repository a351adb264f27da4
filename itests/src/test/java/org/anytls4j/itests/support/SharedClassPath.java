package org.anytls4j.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Packages of this JVM's class path that a framework's system bundle exports, so that the tests and the bundles
 * inside the framework share one copy of them.
 *
 * <p>Why share: the tests hand their own Netty handlers to the transports, read {@code TransportException}s and
 * {@code ConfigurationAdmin} objects, and Netty's leak detector (which testkit turns into test failures) must be
 * the one the bundles use. The export clauses are the jars' own {@code Export-Package} headers, versions and
 * {@code uses} included, so the bundles resolve against them exactly as they would against the jars as bundles.
 * A framework that shares a package must not also install the bundle providing it.
 */
public final class SharedClassPath {
    private SharedClassPath() {
    }

    /** {@code Export-Package} clauses of every class-path bundle whose symbolic name passes {@code share}. */
    public static String exportsOf(Predicate<String> share) {
        List<String> clauses = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        try {
            Enumeration<URL> manifests = SharedClassPath.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                Attributes main = read(url).getMainAttributes();
                String symbolicName = symbolicName(main.getValue("Bundle-SymbolicName"));
                String exports = main.getValue("Export-Package");
                if (symbolicName != null && exports != null && share.test(symbolicName) && seen.add(symbolicName)) {
                    clauses.add(exports);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path's manifests", e);
        }
        if (clauses.isEmpty()) {
            throw new IllegalStateException("no class-path bundle matches the shared set");
        }
        return String.join(",", clauses);
    }

    /** The shared set of the Felix tests: the transport SPI, Netty, and the OSGi service APIs the tests call. */
    public static boolean apiAndNetty(String symbolicName) {
        return symbolicName.equals("org.anytls4j.transport.api")
                || symbolicName.startsWith("io.netty.")
                || symbolicName.equals("org.osgi.service.cm")
                || symbolicName.equals("org.osgi.service.metatype")
                || symbolicName.equals("org.osgi.service.component")
                || symbolicName.equals("org.osgi.util.promise")
                || symbolicName.equals("org.osgi.util.function");
    }

    private static Manifest read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new Manifest(in);
        }
    }

    private static String symbolicName(String header) {
        if (header == null) {
            return null;
        }
        int directives = header.indexOf(';');
        return (directives < 0 ? header : header.substring(0, directives)).trim();
    }
}
