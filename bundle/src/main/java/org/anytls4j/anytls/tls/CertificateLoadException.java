package org.anytls4j.anytls.tls;

import java.nio.file.Path;

/** A server certificate or key file that cannot be used; the message names the file and the reason. */
public final class CertificateLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    CertificateLoadException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
