package org.anytls4j.anytls.tls.fingerprint;

import org.bouncycastle.tls.TlsClientProtocol;

import java.io.IOException;

/** bctls's non-blocking client protocol, sending every ClientHello (also after a HelloRetryRequest) shaped. */
final class ProfiledClientProtocol extends TlsClientProtocol {
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
}
