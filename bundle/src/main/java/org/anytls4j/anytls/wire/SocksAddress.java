package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The destination address at the start of every stream, in SOCKS5 form {@code ATYP | ADDR | PORT u16 BE}
 * (spec §8.1). The same codec, with other address-type numbers, serves UDP-over-TCP packets (§13.1).
 *
 * <p>Nothing here resolves names: domains travel as unresolved {@link InetSocketAddress}es, IP literals as IPs.
 */
public final class SocksAddress {

    /** Destination of a UDP-over-TCP v2 stream (ATYP 3, port 0). */
    public static final String UOT_V2_MAGIC_HOST = "sp.v2.udp-over-tcp.arpa";
    /** Destination of a legacy UDP-over-TCP v1 stream (ATYP 3, port 0). */
    public static final String UOT_V1_MAGIC_HOST = "sp.udp-over-tcp.arpa";

    public static final int ATYP_IPV4 = 1;
    public static final int ATYP_DOMAIN = 3;
    public static final int ATYP_IPV6 = 4;

    /** The one-byte length prefix limits a domain to 255 bytes. */
    public static final int MAX_DOMAIN_LENGTH = 255;

    private static final int PORT_LENGTH = 2;
    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    /** The address-type numbers of one encoding: SOCKS5 for stream destinations, sing's own for UoT packets. */
    enum Numbering {
        SOCKS("SOCKS", ATYP_IPV4, ATYP_DOMAIN, ATYP_IPV6),
        UOT("UoT", 0, 2, 1);

        final String label;
        final int ipv4;
        final int domain;
        final int ipv6;

        Numbering(String label, int ipv4, int domain, int ipv6) {
            this.label = label;
            this.ipv4 = ipv4;
            this.domain = domain;
            this.ipv6 = ipv6;
        }
    }

    private SocksAddress() {
    }

    /**
     * Writes {@code address}: an unresolved one as a domain (ATYP 3) unless its host string is an IP literal
     * (ATYP 1/4, as Go servers would convert it anyway), a resolved IPv4 or IPv4-mapped IPv6 address as ATYP 1,
     * any other IPv6 address as ATYP 4 (its scope id is dropped: the wire has no field for it).
     *
     * <p>International names must already be converted to ASCII (IDNA) by the caller.
     *
     * @throws IllegalArgumentException naming the domain if it is not a host name every Go server accepts, because
     *     a Go server that rejects it does not report an error: it leaves the port bytes in the stream and the
     *     connection silently fails (§8.1)
     */
    public static void encode(ByteBuf out, InetSocketAddress address) {
        encode(out, address, Numbering.SOCKS);
    }

    /** Bytes {@link #encode(ByteBuf, InetSocketAddress)} writes for {@code address}. */
    public static int encodedLength(InetSocketAddress address) {
        Object host = wireHost(address);
        int hostLength = host instanceof byte[] ? ((byte[]) host).length : 1 + ((String) host).length();
        return 1 + hostLength + PORT_LENGTH;
    }

    /**
     * Reads a whole address, consuming it.
     *
     * @throws WireFormatException for an unknown address type, an empty or invalid domain, or too few bytes
     */
    public static InetSocketAddress decode(ByteBuf in) {
        InetSocketAddress address = tryDecode(in);
        if (address == null) {
            throw new WireFormatException("SOCKS address truncated: only " + in.readableBytes() + " bytes");
        }
        return address;
    }

    /**
     * Reads an address if {@code in} holds all of it, for a server that receives the destination split across
     * PSH frames. Port 0 is accepted (the UDP-over-TCP destinations use it).
     *
     * @return the address, consumed; or {@code null} with {@code in} untouched when more bytes are needed
     * @throws WireFormatException (nothing consumed) for an unknown address type or an empty or invalid domain
     */
    public static InetSocketAddress tryDecode(ByteBuf in) {
        return tryDecode(in, Numbering.SOCKS);
    }

    static void encode(ByteBuf out, InetSocketAddress address, Numbering numbering) {
        Object host = wireHost(address);
        if (host instanceof byte[]) {
            byte[] ip = (byte[]) host;
            out.writeByte(ip.length == 4 ? numbering.ipv4 : numbering.ipv6);
            out.writeBytes(ip);
        } else {
            String domain = (String) host;
            out.writeByte(numbering.domain);
            out.writeByte(domain.length());
            out.writeCharSequence(domain, StandardCharsets.US_ASCII);
        }
        out.writeShort(address.getPort());
    }

    static InetSocketAddress tryDecode(ByteBuf in, Numbering numbering) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 1) {
            return null;
        }
        int type = in.getUnsignedByte(start);
        int hostLength;
        if (type == numbering.ipv4) {
            hostLength = 4;
        } else if (type == numbering.ipv6) {
            hostLength = 16;
        } else if (type == numbering.domain) {
            if (readable < 2) {
                return null;
            }
            int domainLength = in.getUnsignedByte(start + 1);
            if (domainLength == 0) {
                throw new WireFormatException(numbering.label + " address has a zero-length domain");
            }
            hostLength = 1 + domainLength;
        } else {
            throw new WireFormatException(String.format("unknown %s address type 0x%02x", numbering.label, type));
        }
        int total = 1 + hostLength + PORT_LENGTH;
        if (readable < total) {
            return null;
        }
        int port = in.getUnsignedShort(start + 1 + hostLength);
        InetSocketAddress address;
        if (type == numbering.domain) {
            String domain = in.toString(start + 2, hostLength - 1, StandardCharsets.ISO_8859_1);
            address = decodedDomain(domain, port, numbering);
        } else {
            byte[] ip = new byte[hostLength];
            in.getBytes(start + 1, ip);
            address = new InetSocketAddress(toInetAddress(ip), port);
        }
        in.readerIndex(start + total);
        return address;
    }

    /** The host as it goes on the wire: {@code byte[]} of 4 or 16 bytes for an IP, a checked domain otherwise. */
    private static Object wireHost(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!address.isUnresolved()) {
            return unmapped(address.getAddress().getAddress());
        }
        String host = address.getHostString();
        byte[] ip = parseIpLiteral(stripBrackets(host));
        if (ip != null) {
            return unmapped(ip);
        }
        String problem = domainProblem(host);
        if (problem == null && host.endsWith(".")) {
            // Go's net.isDomainName allows one trailing dot, but sing's metadata.IsDomainName (used by the newer
            // sing-based servers) rejects the empty last label; only names valid for both are safe to send.
            problem = "ends with '.'";
        }
        if (problem != null) {
            throw new IllegalArgumentException("domain '" + printable(host) + "' " + problem
                + "; AnyTLS servers cannot read it (convert international names to ASCII first)");
        }
        return host;
    }

    private static InetSocketAddress decodedDomain(String domain, int port, Numbering numbering) {
        // sing's SocksaddrSerializer turns a domain that is an IP literal into an IP, so this does too.
        byte[] ip = parseIpLiteral(domain);
        if (ip != null) {
            return new InetSocketAddress(toInetAddress(ip), port);
        }
        // Go servers accept exactly the names net.isDomainName accepts (§8.1); anything else is refused here with a
        // clear error instead of the Go servers' silent misparse. A trailing dot is accepted, as Go does.
        String problem = domainProblem(domain);
        if (problem != null) {
            throw new WireFormatException(numbering.label + " address domain '" + printable(domain) + "' " + problem);
        }
        return InetSocketAddress.createUnresolved(domain, port);
    }

    private static InetAddress toInetAddress(byte[] ip) {
        try {
            // A literal address: no name service is asked. A 16-byte IPv4-mapped address comes back as IPv4,
            // the same unwrapping sing applies.
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("an address of " + ip.length + " bytes", impossible);
        }
    }

    private static byte[] unmapped(byte[] ip) {
        if (ip.length == 16 && Arrays.equals(ip, 0, IPV4_MAPPED_PREFIX.length, IPV4_MAPPED_PREFIX, 0,
            IPV4_MAPPED_PREFIX.length)) {
            return Arrays.copyOfRange(ip, 12, 16);
        }
        return ip;
    }

    private static String stripBrackets(String host) {
        return host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
            ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Parses an IP literal the way Go's {@code netip.ParseAddr} does, or returns {@code null}. IPv4 is strict: four
     * decimal fields without leading zeros ({@code 010.0.0.1} is not an address for Go, and guessing octal would
     * be worse). IPv6 zones ({@code %eth0}) and brackets are refused: a zone means nothing to a remote server.
     */
    static byte[] parseIpLiteral(String s) {
        if (s.indexOf(':') < 0) {
            return parseIpv4(s);
        }
        if (s.indexOf('%') >= 0 || s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
            return null;
        }
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0 && parseIpv4(s.substring(lastColon + 1)) == null) {
            return null;
        }
        return NetUtil.isValidIpV6Address(s) ? NetUtil.createByteArrayFromIpAddressString(s) : null;
    }

    private static byte[] parseIpv4(String s) {
        byte[] ip = new byte[4];
        int field = 0;
        int i = 0;
        int n = s.length();
        while (field < 4) {
            int fieldStart = i;
            int value = 0;
            while (i < n && i - fieldStart < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - fieldStart;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(fieldStart) == '0')) {
                return null;
            }
            ip[field++] = (byte) value;
            if (field < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? ip : null;
    }

    /**
     * Why {@code s} fails Go's {@code net.isDomainName}, or {@code null} if it passes: ASCII letters, digits,
     * {@code '-'}, {@code '_'} and dots; labels of 1..63 characters that do not start or end with {@code '-'}; at
     * most 253 characters (254 with a trailing dot); not all digits. Like Go, {@code "."} passes.
     */
    static String domainProblem(String s) {
        if (s.equals(".")) {
            return null;
        }
        int length = s.length();
        if (length == 0) {
            return "is empty";
        }
        if (length > 254 || length == 254 && s.charAt(length - 1) != '.') {
            return "is " + length + " characters long, more than 253";
        }
        char last = '.';
        boolean nonNumeric = false;
        int labelLength = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
                nonNumeric = true;
                labelLength++;
            } else if (c >= '0' && c <= '9') {
                labelLength++;
            } else if (c == '-') {
                if (last == '.') {
                    return "has a label starting with '-'";
                }
                nonNumeric = true;
                labelLength++;
            } else if (c == '.') {
                if (last == '.') {
                    return "has an empty label";
                }
                if (last == '-') {
                    return "has a label ending with '-'";
                }
                if (labelLength > 63) {
                    return "has a label of " + labelLength + " characters, more than 63";
                }
                labelLength = 0;
            } else {
                return "contains '" + printable(String.valueOf(c))
                    + "' (allowed: ASCII letters, digits, '-', '_', '.')";
            }
            last = c;
        }
        if (last == '-') {
            return "has a label ending with '-'";
        }
        if (labelLength > 63) {
            return "has a label of " + labelLength + " characters, more than 63";
        }
        return nonNumeric ? null : "is all digits and dots but not an IPv4 address";
    }

    /** Renders untrusted text safely for an exception message. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c > 0x7E && c < 0xA0) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
