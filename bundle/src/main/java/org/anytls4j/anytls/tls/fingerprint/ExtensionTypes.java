package org.anytls4j.anytls.tls.fingerprint;

/** TLS extension code points the profiles use (IANA "TLS ExtensionType Values"). Kept free of Bouncy Castle types. */
public final class ExtensionTypes {
    public static final int SERVER_NAME = 0x0000;
    public static final int STATUS_REQUEST = 0x0005;
    public static final int SUPPORTED_GROUPS = 0x000a;
    public static final int EC_POINT_FORMATS = 0x000b;
    public static final int SIGNATURE_ALGORITHMS = 0x000d;
    public static final int ALPN = 0x0010;
    public static final int SIGNED_CERTIFICATE_TIMESTAMP = 0x0012;
    public static final int EXTENDED_MASTER_SECRET = 0x0017;
    public static final int COMPRESS_CERTIFICATE = 0x001b;
    public static final int SESSION_TICKET = 0x0023;
    public static final int SUPPORTED_VERSIONS = 0x002b;
    public static final int PSK_KEY_EXCHANGE_MODES = 0x002d;
    public static final int KEY_SHARE = 0x0033;
    /** application_settings (ALPS) as Chrome 133+ sends it. */
    public static final int APPLICATION_SETTINGS = 0x44cd;
    public static final int ECH = 0xfe0d;
    public static final int RENEGOTIATION_INFO = 0xff01;

    private ExtensionTypes() {
    }
}
