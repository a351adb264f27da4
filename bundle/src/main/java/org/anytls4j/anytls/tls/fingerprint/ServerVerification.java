package org.anytls4j.anytls.tls.fingerprint;

import org.anytls4j.anytls.tls.ServerCertificateCheck;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.List;

/**
 * The server check of one connection, and the translation of bctls's failures into the exceptions the JDK engine
 * raises, so that callers (and users reading the log) cannot tell which engine refused a server.
 */
final class ServerVerification {
    private final ServerCertificateCheck check;
    private final String verifiedName;
    private final int peerPort;
    private CertificateException refusal;

    ServerVerification(ServerCertificateCheck check, String verifiedName, int peerPort) {
        this.check = check;
        this.verifiedName = verifiedName;
        this.peerPort = peerPort;
    }

    void verify(List<byte[]> derChain, boolean tls13, String keyExchange) throws IOException {
        try {
            check.check(derChain, verifiedName, peerPort, tls13, keyExchange);
        } catch (CertificateException e) {
            refusal = e;
            // The alert the JDK engine sends for a chain it does not trust.
            throw new TlsFatalAlert(AlertDescription.certificate_unknown, e.getMessage(), e);
        }
    }

    /** The exception to report for {@code cause}: the certificate check's message if it was the refusal. */
    SSLException describe(Throwable cause, boolean handshaking) {
        if (refusal != null) {
            return handshakeException(refusal.getMessage(), refusal);
        }
        String message;
        if (cause instanceof TlsFatalAlertReceived) {
            message = "Received fatal alert: "
                    + AlertDescription.getName(((TlsFatalAlertReceived) cause).getAlertDescription());
        } else if (cause instanceof TlsFatalAlert) {
            TlsFatalAlert alert = (TlsFatalAlert) cause;
            message = cause.getMessage() != null ? cause.getMessage()
                    : AlertDescription.getName(alert.getAlertDescription());
        } else {
            message = String.valueOf(cause.getMessage());
        }
        return handshaking ? handshakeException(message, cause) : new SSLException(message, cause);
    }

    private static SSLHandshakeException handshakeException(String message, Throwable cause) {
        SSLHandshakeException exception = new SSLHandshakeException(message);
        exception.initCause(cause);
        return exception;
    }
}
