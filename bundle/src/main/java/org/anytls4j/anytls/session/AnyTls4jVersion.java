package org.anytls4j.anytls.session;

/** The product name and version this client reports in its Settings frame ({@code client=anytls4j/<version>}). */
public final class AnyTls4jVersion {
    private static final String VERSION = readVersion();

    private AnyTls4jVersion() {
    }

    public static String version() {
        return VERSION;
    }

    public static String clientName() {
        return "anytls4j/" + VERSION;
    }

    private static String readVersion() {
        // Bundle-Version / Implementation-Version of our jar; absent when running from classes (tests).
        String fromManifest = AnyTls4jVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (var in = AnyTls4jVersion.class.getResourceAsStream("/org/anytls4j/anytls/version.properties")) {
            if (in != null) {
                var properties = new java.util.Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.isBlank() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (java.io.IOException ignored) {
            // fall through to the development marker
        }
        return "dev";
    }
}
