package org.anytls4j.anytls.tls.fingerprint;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ClientHello;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.Hashtable;

/**
 * A ClientHello that Bouncy Castle negotiates with unchanged (same suites, extensions, key shares) but that goes on
 * the wire shaped by a {@link HelloShape}: GREASE in suites, extensions, groups, versions and key shares, and the
 * extensions in the shape's order.
 *
 * <p>Why here: bctls writes zero-length extensions first and has no hook for GREASE; {@code encode} is the one
 * public place that writes the whole body, and bctls feeds exactly these bytes into the transcript. The GREASE
 * values stay out of bctls's own lists, so it never considers a server's answer against them.
 */
final class ProfiledClientHello extends ClientHello {
    private static final int LEGACY_NULL_COMPRESSION = 0;

    private final HelloShape shape;

    ProfiledClientHello(ClientHello negotiated, HelloShape shape) {
        super(negotiated.getVersion(), negotiated.getRandom(), negotiated.getSessionID(), negotiated.getCookie(),
                negotiated.getCipherSuites(), negotiated.getExtensions(), negotiated.getBindersSize());
        this.shape = shape;
    }

    @Override
    public void encode(TlsContext context, OutputStream output) throws IOException {
        if (getBindersSize() != 0 || getCookie() != null) {
            // No PSK resumption and no DTLS here: both would need bytes this encoder does not write.
            throw new TlsFatalAlert(AlertDescription.internal_error, "binders or cookie in a profiled hello");
        }
        WireWriter body = new WireWriter();
        body.uint8(getVersion().getMajorVersion()).uint8(getVersion().getMinorVersion());
        body.bytes(getRandom());
        body.opaque8(getSessionID());
        body.opaque16(cipherSuites());
        body.opaque8(new byte[] {LEGACY_NULL_COMPRESSION});
        body.opaque16(extensions());
        output.write(body.toByteArray());
    }

    private byte[] cipherSuites() {
        WireWriter suites = new WireWriter();
        if (shape.profile().grease()) {
            suites.uint16(shape.cipherGrease());
        }
        for (int suite : getCipherSuites()) {
            suites.uint16(suite);
        }
        return suites.toByteArray();
    }

    private byte[] extensions() throws IOException {
        Hashtable<?, ?> negotiated = getExtensions();
        requireAllInProfile(negotiated);
        boolean grease = shape.profile().grease();
        WireWriter out = new WireWriter();
        if (grease) {
            out.uint16(shape.firstExtensionGrease()).opaque16(new byte[0]);
        }
        for (int type : shape.extensionOrder()) {
            byte[] data = (byte[]) negotiated.get(type);
            if (data == null) {
                continue; // no SNI / no ALPN on this connection
            }
            out.uint16(type).opaque16(grease ? withGrease(type, data) : data);
        }
        if (grease) {
            out.uint16(shape.lastExtensionGrease()).opaque16(new byte[] {0});
        }
        return out.toByteArray();
    }

    /** Fails loudly if bctls added an extension the profile does not list: it would be a tell nobody chose. */
    private void requireAllInProfile(Hashtable<?, ?> negotiated) throws TlsFatalAlert {
        Enumeration<?> keys = negotiated.keys();
        while (keys.hasMoreElements()) {
            int type = (Integer) keys.nextElement();
            if (!shape.profile().offers(type)) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "bctls added extension " + type
                        + " which the " + shape.profile().name() + " profile does not send");
            }
        }
    }

    private byte[] withGrease(int type, byte[] data) throws TlsFatalAlert {
        switch (type) {
            case ExtensionTypes.SUPPORTED_GROUPS:
                // NamedGroupList: uint16 length, then groups
                return prependToList16(data, shape.groupGrease());
            case ExtensionTypes.SUPPORTED_VERSIONS:
                // ProtocolVersion list with a uint8 length
                return new WireWriter().uint8((data[0] & 0xff) + 2).uint16(shape.versionGrease())
                        .bytes(java.util.Arrays.copyOfRange(data, 1, data.length)).toByteArray();
            case ExtensionTypes.KEY_SHARE:
                // KeyShareEntry list: a GREASE group with a one-byte key first, as Chrome sends it
                return prependEntriesToList16(data,
                        new WireWriter().uint16(shape.groupGrease()).opaque16(new byte[] {0}).toByteArray());
            default:
                return data;
        }
    }

    private static byte[] prependToList16(byte[] data, int value) throws TlsFatalAlert {
        return prependEntriesToList16(data, new WireWriter().uint16(value).toByteArray());
    }

    private static byte[] prependEntriesToList16(byte[] data, byte[] entry) throws TlsFatalAlert {
        int length = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
        if (length != data.length - 2) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "unexpected extension layout");
        }
        return new WireWriter().uint16(length + entry.length).bytes(entry)
                .bytes(java.util.Arrays.copyOfRange(data, 2, data.length)).toByteArray();
    }
}
