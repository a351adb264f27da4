package org.anytls4j.itests.support;

import org.anytls4j.testkit.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** testkit's localhost certificate as the PEM files a configuration names (absolute paths, as the PIDs require). */
public final class TestPki {
    private TestPki() {
    }

    /** Writes {@code certificate.pem} and {@code private-key.pem} into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(certificate(dir), TestCertificates.localhost().getCertificatePEM());
            Files.writeString(privateKey(dir), TestCertificates.localhost().getPrivateKeyPEM());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificate into " + dir, e);
        }
    }

    public static Path certificate(Path dir) {
        return dir.resolve("certificate.pem").toAbsolutePath();
    }

    public static Path privateKey(Path dir) {
        return dir.resolve("private-key.pem").toAbsolutePath();
    }
}
