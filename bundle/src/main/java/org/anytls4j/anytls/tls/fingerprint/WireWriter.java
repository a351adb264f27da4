package org.anytls4j.anytls.tls.fingerprint;

import java.io.ByteArrayOutputStream;

/** Big-endian TLS encoding of the few shapes the hello needs. */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    WireWriter uint8(int value) {
        out.write(value);
        return this;
    }

    WireWriter uint16(int value) {
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    WireWriter bytes(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    WireWriter opaque8(byte[] value) {
        if (value.length > 0xff) {
            throw new IllegalArgumentException("opaque8 of " + value.length + " bytes");
        }
        return uint8(value.length).bytes(value);
    }

    WireWriter opaque16(byte[] value) {
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("opaque16 of " + value.length + " bytes");
        }
        return uint16(value.length).bytes(value);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
