package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's TLS context: from a PEM certificate chain and private key, reloaded when the files change, or
 * from a generated self-signed certificate when none is configured.
 *
 * <p>{@link #current()} and {@link #newHandler(ByteBufAllocator)} are cheap and safe on an event loop: each new
 * connection takes whatever context is current, and connections already open keep theirs.
 * {@link #refreshIfChanged()} does file I/O and key parsing, so it must run on a plain scheduled thread, never on
 * an event loop. It first compares each file's modification time, size and file key (one {@code stat} each) and
 * reads the files only when one of those moved; it then compares a SHA-256 of the contents, so touching a file
 * without changing it does not rebuild the context.
 *
 * <p>Keys: PKCS#8, PKCS#1 (RSA) and SEC1 (EC) PEM, unencrypted.
 */
public final class ServerCertificateSource {
    private static final System.Logger LOG = System.getLogger(ServerCertificateSource.class.getName());

    private final ServerTlsOptions options;
    private final SslProvider provider;
    private final Object refreshLock = new Object();
    private volatile Material material;
    /** The file states last looked at, successful or not; guarded by {@link #refreshLock}. */
    private List<FileStamp> lastSeen;

    /** What a context was built from; {@code contentHash} is null for a generated certificate. */
    private record Material(SslContext context, X509Certificate leaf, byte[] contentHash) {
    }

    /** One {@code stat}: enough to notice a write or a replacing rename without reading the file. */
    private record FileStamp(Path file, boolean exists, FileTime modified, long size, Object fileKey) {
        static FileStamp of(Path file) throws IOException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(file, true, attributes.lastModifiedTime(), attributes.size(),
                        attributes.fileKey());
            } catch (NoSuchFileException e) {
                return new FileStamp(file, false, null, -1, null);
            }
        }
    }

    private ServerCertificateSource(ServerTlsOptions options, SslProvider provider) {
        this.options = options;
        this.provider = provider;
    }

    /**
     * Loads the configured PEM files, or generates a self-signed certificate (logging a WARNING with its
     * fingerprint and SPKI pin) when none is configured.
     *
     * @throws CertificateLoadException when a file is missing or unusable; the message names the file
     * @throws IllegalStateException    when {@link TlsProvider#OPENSSL} is requested but unavailable
     */
    public static ServerCertificateSource create(ServerTlsOptions options) throws CertificateLoadException {
        Objects.requireNonNull(options, "options");
        ServerCertificateSource source = new ServerCertificateSource(options, options.provider().resolve());
        if (options.certificateChainPem().isPresent()) {
            synchronized (source.refreshLock) {
                Path chain = options.certificateChainPem().get();
                Path key = options.privateKeyPem().orElseThrow();
                source.lastSeen = stamps(chain, key);
                source.material = source.load(read(chain), read(key));
            }
        } else {
            source.material = source.selfSigned();
        }
        return source;
    }

    /** The context for the next connection. */
    public SslContext current() {
        return material.context();
    }

    /** The leaf certificate {@link #current()} presents. */
    public X509Certificate currentCertificate() {
        return material.leaf();
    }

    /** A handler for one accepted connection, from the current context, with the configured handshake timeout. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        SslHandler handler = current().newHandler(Objects.requireNonNull(allocator, "allocator"));
        handler.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
        return handler;
    }

    /** Whether the context comes from files that {@link #refreshIfChanged()} watches. */
    public boolean reloadable() {
        return options.certificateChainPem().isPresent();
    }

    /**
     * Rebuilds the context if either PEM file changed since the last look. Blocking file I/O: call it from a
     * scheduler thread, never from an event loop.
     *
     * <p>A change that cannot be loaded (a half-written file, a key that does not match the certificate) keeps the
     * previous context and is reported once by the exception; later calls return {@code false} until a file
     * changes again.
     *
     * @return {@code true} when new connections now get a new certificate
     * @throws CertificateLoadException when the changed files cannot be used; the message names the file
     */
    public boolean refreshIfChanged() throws CertificateLoadException {
        if (!reloadable()) {
            return false;
        }
        synchronized (refreshLock) {
            Path chain = options.certificateChainPem().get();
            Path key = options.privateKeyPem().orElseThrow();
            List<FileStamp> now = stamps(chain, key);
            if (now.equals(lastSeen)) {
                return false;
            }
            lastSeen = now;
            byte[] chainBytes = read(chain);
            byte[] keyBytes = read(key);
            if (MessageDigest.isEqual(contentHash(chainBytes, keyBytes), material.contentHash())) {
                return false;
            }
            Material next = load(chainBytes, keyBytes);
            material = next;
            LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from {0}: {1}, SHA-256 {2}", chain,
                    next.leaf().getSubjectX500Principal(), SelfSignedServerCertificate.fingerprint(next.leaf()));
            return true;
        }
    }

    @Override
    public String toString() {
        return "ServerCertificateSource[" + options + "]";
    }

    private Material load(byte[] chainBytes, byte[] keyBytes) throws CertificateLoadException {
        Path chainFile = options.certificateChainPem().orElseThrow();
        Path keyFile = options.privateKeyPem().orElseThrow();
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(chainBytes);
        } catch (CertificateException | IllegalArgumentException e) {
            throw new CertificateLoadException(chainFile, "no usable PEM certificate chain: " + e.getMessage(), e);
        }
        PrivateKey key;
        try {
            key = PemPrivateKeys.read(keyBytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CertificateLoadException(keyFile, "no usable PEM private key: " + e.getMessage(), e);
        }
        X509Certificate leaf = chain.get(0);
        if (!keyMatches(key, leaf)) {
            throw new CertificateLoadException(keyFile, "the private key does not belong to the first certificate "
                    + "in " + chainFile + " (" + leaf.getSubjectX500Principal() + ")", null);
        }
        try {
            leaf.checkValidity();
        } catch (CertificateException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS certificate in {0} is not valid now ({1}); clients that "
                    + "verify it will refuse the connection", chainFile, e.getMessage());
        }
        try {
            return new Material(build(key, chain.toArray(new X509Certificate[0])), leaf,
                    contentHash(chainBytes, keyBytes));
        } catch (SSLException | RuntimeException e) {
            throw new CertificateLoadException(chainFile, "cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private Material selfSigned() {
        SelfSignedServerCertificate generated =
                SelfSignedServerCertificate.generate(options.selfSignedHostnames().toArray(new String[0]));
        LOG.log(System.Logger.Level.WARNING, "No TLS certificate configured: using a generated self-signed "
                        + "certificate for {0} (SHA-256 fingerprint {1}). Clients must pin its public key "
                        + "(pinnedPublicKeySha256 = {2}) or run insecure; configure PEM files for production.",
                options.selfSignedHostnames(), generated.sha256Fingerprint(), generated.spkiPin());
        try {
            return new Material(build(generated.privateKey(), generated.certificate()), generated.certificate(),
                    null);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context for the generated certificate: "
                    + e.getMessage(), e);
        }
    }

    private SslContext build(PrivateKey key, X509Certificate... chain) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain).sslProvider(provider);
        if (!options.alpn().isEmpty()) {
            // A client offering none of our protocols is still served, without ALPN, rather than refused.
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    options.alpn()));
        }
        return builder.build();
    }

    /**
     * Proves the pair by signing a random challenge and verifying it with the certificate's key: one check that
     * works for every key type, where comparing key fields would need code per algorithm.
     */
    private static boolean keyMatches(PrivateKey key, X509Certificate leaf) {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return true; // no generic check; the handshake will fail loudly instead
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                return keyAlgorithm;
            case "DSA":
                return "SHA256withDSA";
            default:
                return null;
        }
    }

    private static List<FileStamp> stamps(Path chain, Path key) throws CertificateLoadException {
        return List.of(stamp(chain), stamp(key));
    }

    private static FileStamp stamp(Path file) throws CertificateLoadException {
        try {
            return FileStamp.of(file);
        } catch (IOException e) {
            throw new CertificateLoadException(file, "cannot read file attributes: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws CertificateLoadException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(file, "file does not exist", e);
        } catch (IOException e) {
            throw new CertificateLoadException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] contentHash(byte[] chain, byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(SpkiPins.sha256(chain));
            digest.update(SpkiPins.sha256(key));
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
