package org.anytls4j.testkit;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Certificates made for one test run: a self-signed server certificate for {@code localhost} and 127.0.0.1. */
public final class TestCertificates {
    private static volatile X509Bundle localhost;

    private TestCertificates() {
    }

    /** A self-signed certificate (EC P-256) valid for {@code localhost}, 127.0.0.1 and ::1; made once per JVM. */
    public static X509Bundle localhost() {
        X509Bundle bundle = localhost;
        if (bundle == null) {
            synchronized (TestCertificates.class) {
                bundle = localhost;
                if (bundle == null) {
                    bundle = selfSigned("CN=localhost");
                    localhost = bundle;
                }
            }
        }
        return bundle;
    }

    /** A fresh self-signed certificate with the given subject, valid for localhost and the loopback addresses. */
    public static X509Bundle selfSigned(String subject) {
        try {
            return new CertificateBuilder()
                    .subject(subject)
                    .setIsCertificateAuthority(true)
                    .addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1")
                    .addSanIpAddress("::1")
                    .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                    .notAfter(Instant.now().plus(30, ChronoUnit.DAYS))
                    .ecp256()
                    .buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a test certificate", e);
        }
    }

    /** A JDK-provider server context for {@link #localhost()}. */
    public static SslContext serverContext() throws SSLException {
        X509Bundle bundle = localhost();
        return SslContextBuilder.forServer(bundle.getKeyPair().getPrivate(), bundle.getCertificatePath())
                .sslProvider(SslProvider.JDK)
                .build();
    }

    /** A JDK-provider client context that trusts exactly {@link #localhost()}. */
    public static SslContext clientContext() throws SSLException {
        X509Certificate root = localhost().getCertificate();
        return SslContextBuilder.forClient().trustManager(root).sslProvider(SslProvider.JDK).build();
    }
}
