package org.anytls4j.anytls.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The small subset of ASN.1 DER this package needs: enough to write a minimal X.509 v3 certificate and to read
 * the outer structure of certificates and private keys without the JDK's certificate parser, which refuses some
 * certificates that real servers send (an empty issuer DN).
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int BOOLEAN = 0x01;

    private static final DateTimeFormatter UTC_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {
    }

    static byte[] tlv(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] content : contents) {
            length += content.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] content : contents) {
            out.writeBytes(content);
        }
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, elements);
    }

    static byte[] set(byte[]... elements) {
        return tlv(SET, elements);
    }

    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING holding whole bytes (no unused bits), as signatures and public keys are encoded. */
    static byte[] bitString(byte[] value) {
        return tlv(BIT_STRING, new byte[] {0}, value);
    }

    static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
    }

    static byte[] utf8(String value) {
        return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on. */
    static byte[] time(Instant instant) {
        Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
        int year = whole.atZone(ZoneOffset.UTC).getYear();
        if (year < 2050) {
            return tlv(UTC_TIME, UTC_TIME_FORMAT.format(whole).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(whole).getBytes(StandardCharsets.US_ASCII));
    }

    /** A context-specific constructed tag {@code [number]} wrapping complete elements (EXPLICIT tagging). */
    static byte[] explicit(int number, byte[]... elements) {
        return tlv(0xa0 | number, elements);
    }

    /** A context-specific primitive tag {@code [number]} replacing the tag of a primitive value (IMPLICIT). */
    static byte[] implicitPrimitive(int number, byte[] value) {
        return tlv(0x80 | number, value);
    }

    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("object identifier needs at least two arcs: " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, new BigInteger(parts[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(parts[1])));
        for (int i = 2; i < parts.length; i++) {
            writeBase128(out, new BigInteger(parts[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    static String decodeOid(byte[] content) {
        StringBuilder text = new StringBuilder();
        BigInteger arc = BigInteger.ZERO;
        boolean first = true;
        for (byte b : content) {
            arc = arc.shiftLeft(7).or(BigInteger.valueOf(b & 0x7f));
            if ((b & 0x80) == 0) {
                if (first) {
                    int top = arc.compareTo(BigInteger.valueOf(80)) >= 0 ? 2 : arc.intValue() / 40;
                    text.append(top).append('.').append(arc.subtract(BigInteger.valueOf(40L * top)));
                    first = false;
                } else {
                    text.append('.').append(arc);
                }
                arc = BigInteger.ZERO;
            }
        }
        return text.toString();
    }

    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = value.shiftRight(7 * i).intValue() & 0x7f;
            out.write(i == 0 ? group : group | 0x80);
        }
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }

    /** One element read from DER input: its tag and where its encoding and content lie in the input. */
    record Element(byte[] input, int tag, int start, int contentStart, int end) {
        byte[] content() {
            return Arrays.copyOfRange(input, contentStart, end);
        }

        /** The whole encoding, tag and length included. */
        byte[] encoded() {
            return Arrays.copyOfRange(input, start, end);
        }

        /** The elements inside a constructed element. */
        List<Element> children() {
            if ((tag & 0x20) == 0) {
                throw new IllegalArgumentException(String.format("DER tag 0x%02x is not constructed", tag));
            }
            List<Element> children = new ArrayList<>();
            int position = contentStart;
            while (position < end) {
                Element child = read(input, position, end);
                children.add(child);
                position = child.end();
            }
            return children;
        }

        Element expect(int expectedTag, String what) {
            if (tag != expectedTag) {
                throw new IllegalArgumentException(
                        String.format("%s: expected DER tag 0x%02x but found 0x%02x", what, expectedTag, tag));
            }
            return this;
        }
    }

    /** Reads the single element that must fill {@code input} completely. */
    static Element parse(byte[] input) {
        Element element = read(input, 0, input.length);
        if (element.end() != input.length) {
            throw new IllegalArgumentException(
                    "DER input has " + (input.length - element.end()) + " trailing bytes after its element");
        }
        return element;
    }

    private static Element read(byte[] input, int start, int limit) {
        if (limit - start < 2) {
            throw new IllegalArgumentException("DER element truncated at offset " + start);
        }
        int tag = input[start] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IllegalArgumentException("multi-byte DER tags are not supported (offset " + start + ")");
        }
        int position = start + 1;
        int first = input[position++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 4 || limit - position < bytes) {
                throw new IllegalArgumentException("bad DER length at offset " + (start + 1));
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (input[position++] & 0xff);
            }
        }
        if (length > limit - position) {
            throw new IllegalArgumentException(
                    "DER element at offset " + start + " claims " + length + " bytes but only "
                            + (limit - position) + " remain");
        }
        return new Element(input, tag, start, position, position + (int) length);
    }
}
