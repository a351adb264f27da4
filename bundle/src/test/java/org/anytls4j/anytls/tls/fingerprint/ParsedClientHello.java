package org.anytls4j.anytls.tls.fingerprint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A ClientHello as read off the wire by a test: the fields a fingerprint is computed from. */
final class ParsedClientHello {
    final int recordVersion;
    final int handshakeLength;
    final byte[] sessionId;
    final List<Integer> cipherSuites = new ArrayList<>();
    /** Extensions in wire order (GREASE included). */
    final Map<Integer, byte[]> extensions = new LinkedHashMap<>();
    final List<Integer> extensionOrder = new ArrayList<>();

    private ParsedClientHello(int recordVersion, ByteBuffer body, int handshakeLength) {
        this.recordVersion = recordVersion;
        this.handshakeLength = handshakeLength;
        body.getShort(); // legacy_version
        body.position(body.position() + 32);
        sessionId = new byte[body.get() & 0xff];
        body.get(sessionId);
        int suitesLength = body.getShort() & 0xffff;
        for (int i = 0; i < suitesLength / 2; i++) {
            cipherSuites.add(body.getShort() & 0xffff);
        }
        int compressionMethods = body.get() & 0xff;
        body.position(body.position() + compressionMethods);
        int extensionsLength = body.getShort() & 0xffff;
        int extensionsEnd = body.position() + extensionsLength;
        while (body.position() < extensionsEnd) {
            int type = body.getShort() & 0xffff;
            byte[] data = new byte[body.getShort() & 0xffff];
            if (data.length > body.remaining()) {
                throw new IllegalArgumentException("extension " + Integer.toHexString(type) + " claims "
                        + data.length + " bytes, " + body.remaining() + " left; so far " + extensionOrder);
            }
            body.get(data);
            if (extensions.put(type, data) != null) {
                throw new IllegalArgumentException("extension " + type + " twice");
            }
            extensionOrder.add(type);
        }
    }

    /**
     * Parses the first handshake message of {@code wire} (TLS records from the client), reassembling it across
     * records.
     *
     * @return null if {@code wire} does not hold the whole message yet
     */
    static ParsedClientHello parse(byte[] wire) {
        ByteBuffer records = ByteBuffer.wrap(wire);
        java.io.ByteArrayOutputStream handshake = new java.io.ByteArrayOutputStream();
        int recordVersion = -1;
        while (records.remaining() >= 5) {
            int type = records.get() & 0xff;
            int version = records.getShort() & 0xffff;
            int length = records.getShort() & 0xffff;
            if (type != 22) {
                throw new IllegalArgumentException("record type " + type + " before the ClientHello ended");
            }
            if (recordVersion < 0) {
                recordVersion = version;
            }
            if (records.remaining() < length) {
                return null;
            }
            byte[] fragment = new byte[length];
            records.get(fragment);
            handshake.writeBytes(fragment);
            byte[] soFar = handshake.toByteArray();
            if (soFar.length >= 4) {
                if (soFar[0] != 1) {
                    throw new IllegalArgumentException("handshake type " + soFar[0] + " is not client_hello");
                }
                int bodyLength = ((soFar[1] & 0xff) << 16) | ((soFar[2] & 0xff) << 8) | (soFar[3] & 0xff);
                if (soFar.length >= 4 + bodyLength) {
                    return new ParsedClientHello(recordVersion,
                            ByteBuffer.wrap(Arrays.copyOfRange(soFar, 4, 4 + bodyLength)), bodyLength);
                }
            }
        }
        return null;
    }

    byte[] extension(int type) {
        return extensions.get(type);
    }

    /** A uint16 list behind a length prefix of {@code prefixBytes} bytes. */
    List<Integer> uint16List(int type, int prefixBytes) {
        byte[] data = extension(type);
        List<Integer> values = new ArrayList<>();
        for (int i = prefixBytes; i + 1 < data.length; i += 2) {
            values.add(((data[i] & 0xff) << 8) | (data[i + 1] & 0xff));
        }
        return values;
    }

    List<Integer> supportedGroups() {
        return uint16List(ExtensionTypes.SUPPORTED_GROUPS, 2);
    }

    List<Integer> supportedVersions() {
        return uint16List(ExtensionTypes.SUPPORTED_VERSIONS, 1);
    }

    List<Integer> signatureAlgorithms() {
        return uint16List(ExtensionTypes.SIGNATURE_ALGORITHMS, 2);
    }

    /** key_share entries as group -> key length. */
    Map<Integer, Integer> keyShares() {
        ByteBuffer data = ByteBuffer.wrap(extension(ExtensionTypes.KEY_SHARE));
        data.getShort();
        Map<Integer, Integer> shares = new LinkedHashMap<>();
        while (data.hasRemaining()) {
            int group = data.getShort() & 0xffff;
            int length = data.getShort() & 0xffff;
            data.position(data.position() + length);
            shares.put(group, length);
        }
        return shares;
    }

    List<String> alpn() {
        byte[] data = extension(ExtensionTypes.ALPN);
        List<String> protocols = new ArrayList<>();
        if (data == null) {
            return protocols;
        }
        for (int i = 2; i < data.length; ) {
            int length = data[i] & 0xff;
            protocols.add(new String(data, i + 1, length, StandardCharsets.US_ASCII));
            i += 1 + length;
        }
        return protocols;
    }

    String serverName() {
        byte[] data = extension(ExtensionTypes.SERVER_NAME);
        if (data == null) {
            return null;
        }
        int length = ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        return new String(data, 5, length, StandardCharsets.US_ASCII);
    }

    static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }
}
