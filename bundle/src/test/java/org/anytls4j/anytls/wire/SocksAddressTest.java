package org.anytls4j.anytls.wire;

import static org.anytls4j.anytls.wire.Bytes.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocksAddressTest {

    private static final byte[] MAPPED_1_2_3_4 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};

    @Test
    void everyAddressTypeRoundTrips() throws Exception {
        for (InetSocketAddress address : List.of(
            InetSocketAddress.createUnresolved("example.com", 443),
            InetSocketAddress.createUnresolved("a_b-c.example.", 1),
            new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0),
            new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65535))) {
            ByteBuf out = Unpooled.buffer();
            if (address.getHostString().endsWith(".")) {
                // Sent by Go clients; decoded, though this encoder refuses it (see the trailing-dot test).
                out.writeByte(3).writeByte(address.getHostString().length())
                    .writeCharSequence(address.getHostString(), StandardCharsets.US_ASCII);
                out.writeShort(address.getPort());
            } else {
                SocksAddress.encode(out, address);
                assertThat(out.readableBytes()).isEqualTo(SocksAddress.encodedLength(address));
            }
            out.writeByte(0x99);
            assertThat(SocksAddress.decode(out)).as("%s", address).isEqualTo(address);
            assertThat(out.readableBytes()).as("only the address consumed").isEqualTo(1);
            out.release();
        }
    }

    @Test
    void ipLiteralHostsAreSentAsIps() {
        assertThat(encode(InetSocketAddress.createUnresolved("1.2.3.4", 80))).isEqualTo("01010203040050");
        assertThat(encode(InetSocketAddress.createUnresolved("::1", 80)))
            .isEqualTo("04" + "00000000000000000000000000000001" + "0050");
        assertThat(encode(InetSocketAddress.createUnresolved("[::1]", 80)))
            .isEqualTo("04" + "00000000000000000000000000000001" + "0050");
        assertThat(encode(InetSocketAddress.createUnresolved("::ffff:1.2.3.4", 80))).isEqualTo("01010203040050");
    }

    @Test
    void ipv4MappedIpv6IsSentAsIpv4() throws Exception {
        Inet6Address mapped = Inet6Address.getByAddress(null, MAPPED_1_2_3_4, -1);
        assertThat(encode(new InetSocketAddress(mapped, 53))).isEqualTo("01010203040035");
        assertThat(SocksAddress.encodedLength(new InetSocketAddress(mapped, 53))).isEqualTo(7);
    }

    @Test
    void decodedIpLiteralDomainsBecomeIps() throws Exception {
        InetSocketAddress v4 = decode(domainAddress("1.2.3.4", 80));
        assertThat(v4.isUnresolved()).isFalse();
        assertThat(v4.getAddress()).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("1.2.3.4"));

        InetSocketAddress v6 = decode(domainAddress("2001:db8::7", 80));
        assertThat(v6.getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(InetAddress.getByName("2001:db8::7"));

        InetSocketAddress mapped = decode(domainAddress("::ffff:10.0.0.1", 80));
        assertThat(mapped.getAddress()).isInstanceOf(Inet4Address.class);
    }

    @Test
    void decodedMappedIpv6IsUnwrapped() {
        ByteBuf in = Unpooled.buffer().writeByte(4).writeBytes(MAPPED_1_2_3_4).writeShort(443);
        InetSocketAddress address = decode(in);
        assertThat(address.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(address.getAddress().getHostAddress()).isEqualTo("1.2.3.4");
    }

    @Test
    void decodedDomainsStayUnresolved() {
        InetSocketAddress address = decode(domainAddress("sp.v2.udp-over-tcp.arpa", 0));
        assertThat(address.isUnresolved()).isTrue();
        assertThat(address.getHostString()).isEqualTo(SocksAddress.UOT_V2_MAGIC_HOST);
        assertThat(address.getPort()).isZero();
    }

    @Test
    void unknownAddressTypeIsRejectedWithoutConsuming() {
        for (int type : new int[] {0, 2, 5, 0xFF}) {
            ByteBuf in = Unpooled.buffer().writeByte(type).writeZero(20);
            assertThatThrownBy(() -> SocksAddress.tryDecode(in)).isInstanceOf(WireFormatException.class)
                .hasMessage(String.format("unknown SOCKS address type 0x%02x", type));
            assertThat(in.readerIndex()).isZero();
            in.release();
        }
    }

    @Test
    void zeroLengthDomainIsRejected() {
        ByteBuf in = Bytes.fromHex("03000050");
        assertThatThrownBy(() -> SocksAddress.tryDecode(in)).isInstanceOf(WireFormatException.class)
            .hasMessageContaining("zero-length domain");
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad domain", "123", "1.2.3", "01.2.3.4", "-a.com", "a-.com", "a..b", ".a", "a/b",
        "fe80::1%eth0", "[::1]", "ex\u00e4mple.com", "a\u0000b"})
    void decodeRejectsNamesGoServersCannotRead(String domain) {
        ByteBuf in = domainAddress(domain, 80);
        assertThatThrownBy(() -> SocksAddress.tryDecode(in)).isInstanceOf(WireFormatException.class)
            .hasMessageContaining("domain '");
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void decodeRejectsLongLabelsAndNamesAndEscapesControlCharacters() {
        assertDecodeRejects("a".repeat(64) + ".com", "label of 64 characters");
        assertDecodeRejects(("a".repeat(63) + ".").repeat(3) + "a".repeat(62), "254 characters");
        assertDecodeRejects("a\u0001b", "'a\\x01b'");
    }

    @Test
    void acceptsTheLongestNamesGoAccepts() {
        String name253 = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(decode(domainAddress(name253, 1)).getHostString()).isEqualTo(name253);
        assertThat(decode(domainAddress(name253 + ".", 1)).getHostString()).hasSize(254);
        assertThat(encode(InetSocketAddress.createUnresolved(name253, 1))).hasSize(2 * (2 + 253 + 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad domain", "123", "01.2.3.4", "-a.com", "a-.com", "a..b", "fe80::1%eth0",
        "b\u00fccher.example", "example.com.", "."})
    void encodeRejectsNamesServersCannotRead(String domain) {
        ByteBuf out = Unpooled.buffer();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocksAddress.encode(out, InetSocketAddress.createUnresolved(domain, 80)))
            .withMessageStartingWith("domain '" + domain + "'");
        assertThat(out.writerIndex()).as("nothing written").isZero();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocksAddress.encodedLength(InetSocketAddress.createUnresolved(domain, 80)));
        out.release();
    }

    @Test
    void encodeAcceptsPunycode() {
        assertThat(encode(InetSocketAddress.createUnresolved("xn--bcher-kva.example", 443)))
            .startsWith("0315" + ByteBufUtil.hexDump("xn--bcher-kva.example".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void incompleteInputIsNotConsumed() throws Exception {
        for (InetSocketAddress address : List.of(
            InetSocketAddress.createUnresolved("example.com", 443),
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80),
            new InetSocketAddress(InetAddress.getByName("::1"), 8080))) {
            ByteBuf whole = Unpooled.buffer();
            SocksAddress.encode(whole, address);
            for (int available = 0; available < whole.readableBytes(); available++) {
                ByteBuf prefix = whole.slice(0, available);
                assertThat(SocksAddress.tryDecode(prefix)).as("%s from %d bytes", address, available).isNull();
                assertThat(prefix.readerIndex()).isZero();
                int have = available;
                assertThatThrownBy(() -> SocksAddress.decode(prefix)).isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("truncated").hasMessageContaining("only " + have + " bytes");
            }
            whole.release();
        }
    }

    private static void assertDecodeRejects(String domain, String messagePart) {
        ByteBuf in = domainAddress(domain, 80);
        assertThatThrownBy(() -> SocksAddress.tryDecode(in)).isInstanceOf(WireFormatException.class)
            .hasMessageContaining(messagePart);
        in.release();
    }

    private static String encode(InetSocketAddress address) {
        ByteBuf out = Unpooled.buffer();
        SocksAddress.encode(out, address);
        assertThat(out.readableBytes()).isEqualTo(SocksAddress.encodedLength(address));
        return hexAndRelease(out);
    }

    /** Decodes all of {@code in}, then releases it. */
    private static InetSocketAddress decode(ByteBuf in) {
        try {
            InetSocketAddress address = SocksAddress.decode(in);
            assertThat(in.isReadable()).isFalse();
            return address;
        } finally {
            in.release();
        }
    }

    /** ATYP 3 with raw ISO-8859-1 bytes of {@code domain}, whatever they are. */
    private static ByteBuf domainAddress(String domain, int port) {
        byte[] bytes = domain.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.buffer().writeByte(3).writeByte(bytes.length).writeBytes(bytes).writeShort(port);
    }
}
