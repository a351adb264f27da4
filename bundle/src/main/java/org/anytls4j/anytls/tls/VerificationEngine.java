package org.anytls4j.anytls.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.security.cert.Certificate;

/**
 * What the JDK's trust manager reads from an engine during a handshake, and nothing else: the peer host and the
 * endpoint identification algorithm. Passing it makes the JDK run its own hostname check, with its own error texts,
 * for a handshake that another TLS implementation performs. Every other operation is unsupported.
 */
final class VerificationEngine extends SSLEngine {
    private final String protocol;
    private final SSLSession session;

    VerificationEngine(String verifiedName, int peerPort, String protocol) {
        super(verifiedName, peerPort);
        this.protocol = protocol;
        this.session = new HandshakeView();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return session;
    }

    @Override
    public SSLParameters getSSLParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    @Override
    public boolean getUseClientMode() {
        return true;
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a verification view, not an engine");
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
        throw unsupported();
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
        throw unsupported();
    }

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public void closeInbound() {
    }

    @Override
    public boolean isInboundDone() {
        return false;
    }

    @Override
    public void closeOutbound() {
    }

    @Override
    public boolean isOutboundDone() {
        return false;
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return new String[0];
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return new String[0];
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        throw unsupported();
    }

    @Override
    public String[] getSupportedProtocols() {
        return new String[] {protocol};
    }

    @Override
    public String[] getEnabledProtocols() {
        return new String[] {protocol};
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        throw unsupported();
    }

    @Override
    public SSLSession getSession() {
        return session;
    }

    @Override
    public void beginHandshake() {
        throw unsupported();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
    }

    @Override
    public void setUseClientMode(boolean mode) {
        throw unsupported();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        throw unsupported();
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        throw unsupported();
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        throw unsupported();
    }

    @Override
    public boolean getEnableSessionCreation() {
        return false;
    }

    /** A plain SSLSession: the JDK then checks the peer host alone, which is the name this client verifies. */
    private final class HandshakeView implements SSLSession {
        @Override
        public byte[] getId() {
            return new byte[0];
        }

        @Override
        public SSLSessionContext getSessionContext() {
            return null;
        }

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public long getLastAccessedTime() {
            return 0;
        }

        @Override
        public void invalidate() {
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public void putValue(String name, Object value) {
            throw unsupported();
        }

        @Override
        public Object getValue(String name) {
            return null;
        }

        @Override
        public void removeValue(String name) {
        }

        @Override
        public String[] getValueNames() {
            return new String[0];
        }

        @Override
        public Certificate[] getPeerCertificates() {
            return null;
        }

        @Override
        public Certificate[] getLocalCertificates() {
            return null;
        }

        @Override
        @SuppressWarnings("removal")
        public javax.security.cert.X509Certificate[] getPeerCertificateChain() {
            throw unsupported();
        }

        @Override
        public Principal getPeerPrincipal() {
            return null;
        }

        @Override
        public Principal getLocalPrincipal() {
            return null;
        }

        @Override
        public String getCipherSuite() {
            return "SSL_NULL_WITH_NULL_NULL";
        }

        @Override
        public String getProtocol() {
            return protocol;
        }

        @Override
        public String getPeerHost() {
            return getPeerHost0();
        }

        @Override
        public int getPeerPort() {
            return VerificationEngine.this.getPeerPort();
        }

        @Override
        public int getPacketBufferSize() {
            return 16_709;
        }

        @Override
        public int getApplicationBufferSize() {
            return 16_384;
        }
    }

    private String getPeerHost0() {
        return getPeerHost();
    }
}
