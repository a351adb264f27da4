package org.anytls4j.anytls.tls.fingerprint;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;

import java.io.IOException;

/** bctls's non-blocking client protocol, sending every ClientHello (also after a HelloRetryRequest) shaped. */
final class ProfiledClientProtocol extends TlsClientProtocol {
    /** Shown when a server compresses its certificate; SECURITY.md §2.7 explains the trade-off. */
    static final String COMPRESSED_CERTIFICATE = "the server sent its certificate compressed (RFC 8879 "
            + "CompressedCertificate), which fingerprint = chrome offers as Chrome does but cannot decompress "
            + "(Bouncy Castle 1.84 has no certificate decompression); reach this server with fingerprint = none";

    private final HelloShape shape;

    ProfiledClientProtocol(HelloShape shape) {
        this.shape = shape;
    }

    @Override
    protected void sendClientHelloMessage() throws IOException {
        if (!(clientHello instanceof ProfiledClientHello)) {
            clientHello = new ProfiledClientHello(clientHello, shape);
        }
        super.sendClientHelloMessage();
    }

    /**
     * bctls answers a CompressedCertificate with a bare {@code unexpected_message}; RFC 8879 §4 asks for
     * {@code bad_certificate} from a client that cannot decompress, and the user deserves to know why.
     */
    @Override
    protected void handle13HandshakeMessage(short type, HandshakeMessageInput buf) throws IOException {
        if (type == HandshakeType.compressed_certificate) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, COMPRESSED_CERTIFICATE);
        }
        super.handle13HandshakeMessage(type, buf);
    }
}
