package org.anytls4j.anytls.tls.fingerprint;

import java.util.List;
import java.util.Optional;

/**
 * Whether the fingerprint engine can run here: Bouncy Castle 1.84 reachable from this bundle's class loader.
 *
 * <p>The bundle imports {@code org.bouncycastle.*} optionally (bnd.bnd), so in OSGi the packages are wired only when
 * bcprov, bcutil and bctls 1.84 were installed before this bundle resolved (or it was refreshed since). This class
 * loads no Bouncy Castle class itself: it only asks whether the classes the engine starts from can be found, so a
 * configuration with {@code fingerprint = chrome} can be rejected up front instead of failing on the first dial
 * with a {@link NoClassDefFoundError}.
 */
public final class BouncyCastleAvailability {
    /** The Karaf feature that brings the Bouncy Castle bundles. */
    public static final String FEATURE = "anytls4j-fingerprint";

    /** One class of each Bouncy Castle package family the engine links against (bctls, its BC crypto, bcprov). */
    private static final List<String> PROBES = List.of(
            "org.bouncycastle.tls.TlsClientProtocol",
            "org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto",
            "org.bouncycastle.jcajce.util.DefaultJcaJceHelper");

    private BouncyCastleAvailability() {
    }

    /**
     * Empty when the engine can run; otherwise why not, in words an operator can act on (what to install).
     */
    public static Optional<String> problem() {
        ClassLoader loader = BouncyCastleAvailability.class.getClassLoader();
        for (String probe : PROBES) {
            try {
                Class.forName(probe, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of("Bouncy Castle 1.84 is not available to the AnyTLS bundle (" + probe
                        + " cannot be loaded): install the Karaf feature " + FEATURE
                        + ", or the bundles bcprov-jdk18on, bcutil-jdk18on and bctls-jdk18on 1.84 and refresh "
                        + "the AnyTLS bundle; or set fingerprint = none");
            }
        }
        return Optional.empty();
    }
}
