package org.anytls4j.anytls.tls.fingerprint;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsKemConfig;
import org.bouncycastle.tls.crypto.TlsKemDomain;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsMLKemDomain;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * bctls crypto for the fingerprint engine: the JDK's default JCA providers for everything on the data path (so
 * AES-GCM and ChaCha20-Poly1305 run on the JDK's intrinsics, not on Bouncy Castle's pure-Java AES), with two
 * exceptions taken from Bouncy Castle's lightweight crypto:
 * <ul>
 *   <li>ML-KEM (for X25519MLKEM768): the JDK has no ML-KEM before JDK 24, and registering BC as a JCA provider would
 *       be a JVM-wide side effect;</li>
 *   <li>certificates: the JCA certificate factory refuses the reference server's empty-issuer certificate
 *       ("Empty issuer DN not allowed"), which insecure mode must still reach. Bouncy Castle parses it; whether
 *       it is trusted is decided by {@link ServerCertificateCheckBridge}, which runs the JDK's own checks only
 *       when verifying.</li>
 * </ul>
 */
final class JdkAeadTlsCrypto extends JcaTlsCrypto {
    private final BcTlsCrypto lightweight;

    JdkAeadTlsCrypto(SecureRandom random) {
        super(new DefaultJcaJceHelper(), random, random);
        this.lightweight = new BcTlsCrypto(random);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        return lightweight.createCertificate(type, encoding);
    }

    @Override
    public TlsCertificate createCertificate(byte[] encoding) throws IOException {
        return lightweight.createCertificate(encoding);
    }

    @Override
    public TlsKemDomain createKemDomain(TlsKemConfig kemConfig) {
        return new BcTlsMLKemDomain(lightweight, kemConfig);
    }

    @Override
    protected Boolean isSupportedNamedGroup(int namedGroup) {
        if (NamedGroup.refersToASpecificKem(namedGroup)) {
            return lightweight.hasNamedGroup(namedGroup);
        }
        return super.isSupportedNamedGroup(namedGroup);
    }
}
