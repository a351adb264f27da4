package org.anytls4j.testkit;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestCertificatesTest {
    @Test
    void localhostCertificateIsSelfSignedAndUsableForBothSides() throws Exception {
        var certificate = TestCertificates.localhost().getCertificate();
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        SslContext server = TestCertificates.serverContext();
        SslContext client = TestCertificates.clientContext();
        assertTrue(server.isServer());
        assertTrue(client.isClient());
    }
}
