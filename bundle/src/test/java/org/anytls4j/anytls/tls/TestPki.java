package org.anytls4j.anytls.tls;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Certificates and PEM files for the TLS tests. */
final class TestPki {
    private TestPki() {
    }

    /** A self-signed EC certificate for the given DNS names plus 127.0.0.1 and ::1. */
    static X509Bundle selfSigned(String commonName, String... dnsNames) throws Exception {
        CertificateBuilder builder = new CertificateBuilder()
                .subject("CN=" + commonName)
                .setIsCertificateAuthority(true)
                .addSanIpAddress("127.0.0.1")
                .addSanIpAddress("::1")
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                .notAfter(Instant.now().plus(30, ChronoUnit.DAYS))
                .ecp256();
        for (String dnsName : dnsNames) {
            builder.addSanDnsName(dnsName);
        }
        return builder.buildSelfSigned();
    }

    static Path writeCertificates(Path file, X509Certificate... certificates) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
        }
        return Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    }

    static Path writePkcs8Key(Path file, X509Bundle bundle) throws IOException {
        return Files.writeString(file, Pem.encode("PRIVATE KEY", bundle.getKeyPair().getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    /** The DER of a self-signed certificate with an EMPTY subject and issuer, like anytls-go's sample server. */
    static EmptyDnCertificate emptyDnCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        byte[] der = CertificateEncoder.selfSigned(keyPair, null, List.of(), List.of(),
                Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(1, ChronoUnit.DAYS));
        return new EmptyDnCertificate(der, keyPair);
    }

    record EmptyDnCertificate(byte[] der, KeyPair keyPair) {
        String certificatePem() {
            return Pem.encode("CERTIFICATE", der);
        }

        String privateKeyPem() {
            return Pem.encode("PRIVATE KEY", keyPair.getPrivate().getEncoded());
        }
    }
}
