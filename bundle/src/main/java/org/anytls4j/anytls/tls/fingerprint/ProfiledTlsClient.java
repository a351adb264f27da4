package org.anytls4j.anytls.tls.fingerprint;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CertificateStatusType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.OCSPStatusRequest;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

/**
 * bctls's view of a profile: which suites, groups, key shares, signature algorithms and extensions to negotiate
 * with. How they look on the wire is {@link ProfiledClientHello}'s job; this class makes sure bctls's own extension
 * table holds exactly the profile's set, so its checks of the server's answers match what was sent.
 */
final class ProfiledTlsClient extends DefaultTlsClient {
    /** What the engine must know about the server's certificate and the end of the handshake. */
    interface Listener {
        void verifyServer(List<byte[]> derChain, boolean tls13, String keyExchange) throws IOException;

        void handshakeComplete();
    }

    private static final byte[] EMPTY = new byte[0];

    private final HelloProfile profile;
    private final HelloShape shape;
    private final String sniHostName;
    private final List<String> alpn;
    private final Listener listener;

    /**
     * @param sniHostName the name to send as SNI, or null for none
     * @param alpn        the ALPN list to offer (the user's, or the profile's default)
     */
    ProfiledTlsClient(TlsCrypto crypto, HelloShape shape, String sniHostName, List<String> alpn, Listener listener) {
        super(crypto);
        this.profile = shape.profile();
        this.shape = shape;
        this.sniHostName = sniHostName;
        this.alpn = List.copyOf(alpn);
        this.listener = listener;
    }

    HelloShape shape() {
        return shape;
    }

    /** The parameters of the established connection (version, ALPN), null before the handshake completes. */
    org.bouncycastle.tls.SecurityParameters connectionParameters() {
        return context == null ? null : context.getSecurityParametersConnection();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        List<ProtocolVersion> versions = new ArrayList<>();
        for (int version : profile.supportedVersions()) {
            versions.add(ProtocolVersion.get(version >>> 8, version & 0xff));
        }
        return versions.toArray(new ProtocolVersion[0]);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return profile.cipherSuites().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The profile's list as is: bctls's filtering by crypto support would silently change the fingerprint. */
    @Override
    public int[] getCipherSuites() {
        return getSupportedCipherSuites();
    }

    @Override
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        return new Vector<>(profile.supportedGroups());
    }

    @Override
    public Vector getEarlyKeyShareGroups() {
        return new Vector<>(profile.keyShareGroups());
    }

    @Override
    protected Vector getSupportedSignatureAlgorithms() {
        Vector<Object> algorithms = new Vector<>();
        for (int scheme : profile.signatureAlgorithms()) {
            algorithms.add(SignatureScheme.getSignatureAndHashAlgorithm(scheme));
        }
        return algorithms;
    }

    @Override
    protected Vector getProtocolNames() {
        if (alpn.isEmpty() || !profile.offers(ExtensionTypes.ALPN)) {
            return null;
        }
        Vector<ProtocolName> names = new Vector<>();
        for (String protocol : alpn) {
            names.add(ProtocolName.asUtf8Encoding(protocol));
        }
        return names;
    }

    @Override
    protected Vector getSNIServerNames() {
        if (sniHostName == null || !profile.offers(ExtensionTypes.SERVER_NAME)) {
            return null;
        }
        Vector<ServerName> names = new Vector<>();
        names.add(new ServerName(NameType.host_name, sniHostName.getBytes(StandardCharsets.US_ASCII)));
        return names;
    }

    @Override
    protected CertificateStatusRequest getCertificateStatusRequest() {
        return profile.offers(ExtensionTypes.STATUS_REQUEST)
                ? new CertificateStatusRequest(CertificateStatusType.ocsp, new OCSPStatusRequest(null, null))
                : null;
    }

    @Override
    public boolean shouldUseExtendedMasterSecret() {
        return profile.offers(ExtensionTypes.EXTENDED_MASTER_SECRET);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable<Integer, byte[]> extensions = super.getClientExtensions();
        // bctls offers encrypt_then_mac whenever TLS 1.2 is offered; browsers do not.
        extensions.remove(TlsExtensionsUtils.EXT_encrypt_then_mac);
        if (!profile.offers(ExtensionTypes.EC_POINT_FORMATS)) {
            extensions.remove(TlsExtensionsUtils.EXT_ec_point_formats);
        }
        if (profile.offers(ExtensionTypes.RENEGOTIATION_INFO)) {
            // An empty renegotiated_connection; it also keeps bctls from adding the SCSV suite.
            extensions.put(ExtensionTypes.RENEGOTIATION_INFO, new byte[] {0});
        }
        putEmpty(extensions, ExtensionTypes.SESSION_TICKET);
        putEmpty(extensions, ExtensionTypes.SIGNED_CERTIFICATE_TIMESTAMP);
        if (profile.offers(ExtensionTypes.PSK_KEY_EXCHANGE_MODES)) {
            TlsExtensionsUtils.addPSKKeyExchangeModesExtension(extensions,
                    new short[] {PskKeyExchangeMode.psk_dhe_ke});
        }
        if (profile.offers(ExtensionTypes.COMPRESS_CERTIFICATE)) {
            TlsExtensionsUtils.addCompressCertificateExtension(extensions,
                    profile.certificateCompressionAlgorithms().stream().mapToInt(Integer::intValue).toArray());
        }
        if (profile.offers(profile.alpsCodePoint()) && !profile.alpsProtocols().isEmpty()) {
            extensions.put(profile.alpsCodePoint(), alps(profile.alpsProtocols()));
        }
        if (profile.offers(ExtensionTypes.ECH)) {
            extensions.put(ExtensionTypes.ECH, shape.echGrease());
        }
        return extensions;
    }

    private void putEmpty(Hashtable<Integer, byte[]> extensions, int type) {
        if (profile.offers(type)) {
            extensions.put(type, EMPTY);
        }
    }

    private static byte[] alps(List<String> protocols) {
        WireWriter list = new WireWriter();
        for (String protocol : protocols) {
            list.opaque8(protocol.getBytes(StandardCharsets.UTF_8));
        }
        return new WireWriter().opaque16(list.toByteArray()).toByteArray();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                TlsCertificate[] certificates = serverCertificate.getCertificate().getCertificateList();
                List<byte[]> chain = new ArrayList<>(certificates.length);
                for (TlsCertificate certificate : certificates) {
                    chain.add(certificate.getEncoded());
                }
                boolean tls13 = TlsUtils.isTLSv13(context);
                String keyExchange = tls13 ? null : keyExchangeName(
                        context.getSecurityParametersHandshake().getKeyExchangeAlgorithm());
                listener.verifyServer(chain, tls13, keyExchange);
            }

            @Override
            public TlsCredentials getClientCredentials(org.bouncycastle.tls.CertificateRequest request) {
                return null; // no client certificates in AnyTLS
            }
        };
    }

    /** JSSE's auth type names for the key exchanges the profiles offer with TLS 1.2. */
    private static String keyExchangeName(int keyExchangeAlgorithm) throws TlsFatalAlert {
        switch (keyExchangeAlgorithm) {
            case KeyExchangeAlgorithm.ECDHE_RSA:
                return "ECDHE_RSA";
            case KeyExchangeAlgorithm.ECDHE_ECDSA:
                return "ECDHE_ECDSA";
            case KeyExchangeAlgorithm.RSA:
                return "RSA";
            default:
                throw new TlsFatalAlert(AlertDescription.handshake_failure,
                        "unexpected key exchange " + keyExchangeAlgorithm);
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        listener.handshakeComplete();
    }
}
