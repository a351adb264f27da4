package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.anytls4j.transport.api.Destination.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationTest {

    @Nested
    class Ipv4 {
        @Test
        void literalBecomesIpv4WithItsBytes() throws Exception {
            Destination d = Destination.ofHost("192.0.2.10", 80);

            assertThat(d.kind()).isEqualTo(Kind.IPV4);
            assertThat(d.isDomain()).isFalse();
            assertThat(d.host()).isEqualTo("192.0.2.10");
            assertThat(d.port()).isEqualTo(80);
            assertThat(d.addressBytes()).containsExactly(192, 0, 2, 10);
            assertThat(d.address()).contains(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10}));
            assertThat(d).hasToString("192.0.2.10:80");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "127.0.0.1", "10.20.30.40"})
        void boundaryLiteralsAreAccepted(String literal) {
            assertThat(Destination.ofHost(literal, 1).host()).isEqualTo(literal);
        }

        @ParameterizedTest
        @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "example.123",
                "1..2.3", "1.2.3.4.", "0x7f.0.0.1"})
        void malformedNumericHostsAreRejectedNotTakenForDomains(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + host + "'");
        }

        @Test
        void fullWidthDigitsDoNotSmuggleAnIpPastTheParserAsADomain() {
            String fullWidth = "\uFF11.\uFF12.\uFF13.\uFF14";

            assertThatThrownBy(() -> Destination.ofHost(fullWidth, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv4")
                    .hasMessageContaining(fullWidth);
        }

        @Test
        void fromInet4Address() throws Exception {
            InetAddress address = InetAddress.getByAddress(new byte[] {1, 2, 3, 4});

            Destination d = Destination.of(address, 443);

            assertThat(d.kind()).isEqualTo(Kind.IPV4);
            assertThat(d).isEqualTo(Destination.ofHost("1.2.3.4", 443));
        }
    }

    @Nested
    class Ipv6 {
        @ParameterizedTest
        @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "[2001:db8::1], 2001:db8::1",
            "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::1, ::1",
            "::, ::",
            "1::, 1::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "0:0:1:0:0:0:1:0, 0:0:1::1:0",
            "::ffff:0:1.2.3.4, ::ffff:0:102:304",
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        })
        void literalIsCanonicalisedPerRfc5952(String input, String canonical) {
            Destination d = Destination.ofHost(input, 53);

            assertThat(d.kind()).isEqualTo(Kind.IPV6);
            assertThat(d.host()).isEqualTo(canonical);
            assertThat(d.addressBytes()).hasSize(16);
            assertThat(d).hasToString("[" + canonical + "]:53");
        }

        @Test
        void withAndWithoutBracketsAreEqual() {
            assertThat(Destination.ofHost("[2001:db8::1]", 53)).isEqualTo(Destination.ofHost("2001:db8::1", 53))
                    .hasSameHashCodeAs(Destination.ofHost("2001:DB8:0::1", 53));
        }

        @ParameterizedTest
        @ValueSource(strings = {"::ffff:1.2.3.4", "[::ffff:1.2.3.4]", "::FFFF:0102:0304"})
        void ipv4MappedFoldsToIpv4(String host) {
            Destination d = Destination.ofHost(host, 80);

            assertThat(d.kind()).isEqualTo(Kind.IPV4);
            assertThat(d.host()).isEqualTo("1.2.3.4");
            assertThat(d.addressBytes()).containsExactly(1, 2, 3, 4);
        }

        @Test
        void ipv4MappedInet6AddressFoldsToIpv4() throws Exception {
            byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
            // getByAddress itself folds a mapped address; Inet6Address.getByAddress keeps it IPv6.
            InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

            assertThat(address).isInstanceOf(Inet6Address.class);
            assertThat(Destination.of(address, 22)).isEqualTo(Destination.ofHost("10.0.0.1", 22));
        }

        @Test
        void scopeOfInet6AddressIsDropped() throws Exception {
            byte[] linkLocal = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

            Destination d = Destination.of(Inet6Address.getByAddress(null, linkLocal, 3), 80);

            assertThat(d.host()).isEqualTo("fe80::1");
            assertThat(((Inet6Address) d.address().orElseThrow()).getScopeId()).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2001:db8:::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1",
                "g::1", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "::1.2.3", "1:2:3:4:5:6:7::8", "::1.2.3.4:5",
                "1:2:3:4:5:6:7:1.2.3.4"})
        void malformedLiteralsAreRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Not a valid IPv6 address")
                    .hasMessageContaining(host);
        }

        @Test
        void zoneIdIsRejected() {
            assertThatThrownBy(() -> Destination.ofHost("fe80::1%eth0", 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("zone")
                    .hasMessageContaining("fe80::1%eth0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[::1", "::1]", "[example.com]", "[1.2.3.4]", "[]"})
        void malformedBracketsAreRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(host);
        }
    }

    @Nested
    class Domains {
        @Test
        void domainStaysUnresolvedAndLowerCase() {
            Destination d = Destination.ofHost("WWW.Example.COM", 443);

            assertThat(d.kind()).isEqualTo(Kind.DOMAIN);
            assertThat(d.isDomain()).isTrue();
            assertThat(d.host()).isEqualTo("www.example.com");
            assertThat(d.address()).isEmpty();
            assertThat(d.addressBytes()).isEmpty();
            assertThat(d).hasToString("www.example.com:443");
        }

        @Test
        void unicodeDomainBecomesPunycode() {
            assertThat(Destination.ofHost("bücher.example", 80).host()).isEqualTo("xn--bcher-kva.example");
            assertThat(Destination.ofHost("例え.テスト", 80).host()).isEqualTo("xn--r8jz45g.xn--zckzah");
        }

        @Test
        void ideographicFullStopSeparatesLabels() {
            assertThat(Destination.ofHost("bücher\u3002example", 80).host()).isEqualTo("xn--bcher-kva.example");
        }

        @Test
        void trailingDotIsDropped() {
            assertThat(Destination.ofHost("example.com.", 80)).isEqualTo(Destination.ofHost("example.com", 80));
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "_dmarc.example.com", "a-b.example", "123.example", "x"})
        void namesThatGoAcceptsAreAccepted(String host) {
            assertThat(Destination.ofHost(host, 80).kind()).isEqualTo(Kind.DOMAIN);
        }

        @Test
        void longestDomainIsAccepted() {
            String host = label(63) + "." + label(63) + "." + label(63) + "." + label(61);

            assertThat(host).hasSize(253);
            assertThat(Destination.ofHost(host, 80).host()).isEqualTo(host);
        }

        @Test
        void overLongDomainIsRejected() {
            String host = label(63) + "." + label(63) + "." + label(63) + "." + label(62);

            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("too long")
                    .hasMessageContaining("254")
                    .hasMessageContaining(host);
        }

        @Test
        void overLongLabelIsRejected() {
            String host = label(64) + ".example";

            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Label too long")
                    .hasMessageContaining(host);
        }

        @Test
        void overLongUnicodeLabelIsRejectedWithTheOriginalText() {
            String host = "ü".repeat(70) + ".example";

            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(host);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void emptyHostIsRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty")
                    .hasMessageContaining("'" + host + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"exa mple.com", " example.com", "example.com/x", "ex@mple.com", "a\u0000b.com",
                "example.com\n", "a*.example"})
        void illegalCharactersAreRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Illegal character")
                    .hasMessageContaining(host);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a..b", ".example.com", "example.com.."})
        void emptyLabelsAreRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(host);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-a.example", "a-.example", "example.com-"})
        void hyphenAtLabelEdgeIsRejected(String host) {
            assertThatThrownBy(() -> Destination.ofHost(host, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'-'")
                    .hasMessageContaining(host);
        }

        @Test
        void toSocketAddressIsUnresolved() {
            InetSocketAddress address = Destination.ofHost("example.com", 443).toSocketAddress();

            assertThat(address.isUnresolved()).isTrue();
            assertThat(address.getHostString()).isEqualTo("example.com");
            assertThat(address.getPort()).isEqualTo(443);
        }

        private String label(int length) {
            return "a".repeat(length);
        }
    }

    @Nested
    class Ports {
        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
        void ofHostRequiresPort1To65535(int port) {
            assertThatThrownBy(() -> Destination.ofHost("example.com", port))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("1..65535")
                    .hasMessageContaining("example.com");
        }

        @Test
        void ofInetAddressRequiresPort1To65535() throws Exception {
            InetAddress address = InetAddress.getByAddress(new byte[] {1, 2, 3, 4});

            assertThatThrownBy(() -> Destination.of(address, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Port 0")
                    .hasMessageContaining("1.2.3.4");
            assertThatThrownBy(() -> Destination.of(new InetSocketAddress(address, 0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Port 0");
        }

        @Test
        void anyPortFactoriesAcceptPort0ButNotBeyond65535() throws Exception {
            assertThat(Destination.ofHostAnyPort("0.0.0.0", 0)).hasToString("0.0.0.0:0");
            assertThat(Destination.ofAnyPort(InetAddress.getByAddress(new byte[16]), 0)).hasToString("[::]:0");
            assertThat(Destination.ofHostAnyPort("example.com", 65535).port()).isEqualTo(65535);
            assertThatThrownBy(() -> Destination.ofHostAnyPort("example.com", 65536))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Port 65536")
                    .hasMessageContaining("0..65535");
            assertThatThrownBy(() -> Destination.ofHostAnyPort("example.com", -1))
                    .hasMessageContaining("Port -1");
        }
    }

    @Nested
    class Parse {
        @ParameterizedTest
        @CsvSource({
            "example.com:443, DOMAIN, example.com, 443",
            "1.2.3.4:80, IPV4, 1.2.3.4, 80",
            "[2001:db8::1]:53, IPV6, 2001:db8::1, 53",
            "[::ffff:1.2.3.4]:8080, IPV4, 1.2.3.4, 8080",
            "Bücher.Example:65535, DOMAIN, xn--bcher-kva.example, 65535",
            "a:1, DOMAIN, a, 1",
        })
        void acceptedForms(String text, Kind kind, String host, int port) {
            Destination d = Destination.parse(text);

            assertThat(d.kind()).isEqualTo(kind);
            assertThat(d.host()).isEqualTo(host);
            assertThat(d.port()).isEqualTo(port);
        }

        @ParameterizedTest
        @ValueSource(strings = {"example.com:443", "1.2.3.4:80", "[2001:db8::1]:53"})
        void toStringParsesBack(String text) {
            Destination d = Destination.parse(text);

            assertThat(d).hasToString(text);
            assertThat(Destination.parse(d.toString())).isEqualTo(d);
        }

        @Test
        void unbracketedIpv6IsAmbiguous() {
            assertThatThrownBy(() -> Destination.parse("2001:db8::1:53"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ambiguous")
                    .hasMessageContaining("2001:db8::1:53")
                    .hasMessageContaining("brackets");
        }

        @ParameterizedTest
        @ValueSource(strings = {"example.com", "example.com:", "[2001:db8::1]", "[2001:db8::1]:", "1.2.3.4"})
        void missingPortIsRejected(String text) {
            assertThatThrownBy(() -> Destination.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Missing port")
                    .hasMessageContaining(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[2001:db8::1:53", "[2001:db8::1]53", "[2001:db8::1]x:53", "2001:db8::1]:53x",
                "[1.2.3.4]:80", "[example.com]:80", "example.com]:80"})
        void malformedBracketsAreRejected(String text) {
            assertThatThrownBy(() -> Destination.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"example.com:0", "example.com:65536", "example.com:99999"})
        void portOutOfRangeIsRejected(String text) {
            assertThatThrownBy(() -> Destination.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range")
                    .hasMessageContaining(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"example.com:http", "example.com:+80", "example.com:-1", "example.com: 80",
                "example.com:123456", "example.com:８０"})
        void nonNumericPortIsRejected(String text) {
            assertThatThrownBy(() -> Destination.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid port")
                    .hasMessageContaining(text);
        }

        @Test
        void badHostIsReportedWithTheWholeText() {
            assertThatThrownBy(() -> Destination.parse("exa mple.com:80"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exa mple.com:80")
                    .hasMessageContaining("Illegal character");
        }
    }

    @Nested
    class SocketAddresses {
        @Test
        void unresolvedSocketAddressBecomesDomainWithoutLookup() {
            // A name under .invalid can never resolve (RFC 6761); a lookup would make it resolved or fail.
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("never-resolves.invalid", 8443);

            Destination d = Destination.of(unresolved);

            assertThat(d.kind()).isEqualTo(Kind.DOMAIN);
            assertThat(d.host()).isEqualTo("never-resolves.invalid");
            assertThat(d.port()).isEqualTo(8443);
        }

        @Test
        void unresolvedSocketAddressHoldingALiteralBecomesAnIp() {
            Destination d = Destination.of(InetSocketAddress.createUnresolved("::1", 8443));

            assertThat(d.kind()).isEqualTo(Kind.IPV6);
            assertThat(d.host()).isEqualTo("::1");
        }

        @Test
        void resolvedSocketAddressContributesItsAddressNotItsName() throws Exception {
            InetAddress named = InetAddress.getByAddress("some.name", new byte[] {10, 1, 2, 3});

            Destination d = Destination.of(new InetSocketAddress(named, 25));

            assertThat(d).isEqualTo(Destination.ofHost("10.1.2.3", 25));
        }

        @Test
        void ipToSocketAddressIsResolvedWithoutAName() {
            InetSocketAddress v4 = Destination.ofHost("192.0.2.1", 80).toSocketAddress();
            InetSocketAddress v6 = Destination.ofHost("2001:db8::2", 80).toSocketAddress();

            assertThat(v4.isUnresolved()).isFalse();
            assertThat(v4.getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(v4.getHostString()).isEqualTo("192.0.2.1");
            assertThat(v6.getAddress()).isInstanceOf(Inet6Address.class);
            assertThat(v6.getAddress().getAddress()).isEqualTo(Destination.ofHost("2001:db8::2", 80).addressBytes());
            assertThat(v6.getPort()).isEqualTo(80);
        }
    }

    @Test
    void addressBytesAreACopy() {
        Destination d = Destination.ofHost("1.2.3.4", 80);

        d.addressBytes()[0] = 99;

        assertThat(d.addressBytes()).containsExactly(1, 2, 3, 4);
        assertThat(d.host()).isEqualTo("1.2.3.4");
    }

    @Test
    void equalityConsidersKindHostAndPort() {
        assertThat(Destination.ofHost("example.com", 80))
                .isEqualTo(Destination.parse("EXAMPLE.com:80"))
                .isNotEqualTo(Destination.ofHost("example.com", 81))
                .isNotEqualTo(Destination.ofHost("example.org", 80));
        assertThat(Destination.ofHost("::1", 80)).isNotEqualTo(Destination.ofHost("127.0.0.1", 80));
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> Destination.ofHost(null, 80)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("host");
        assertThatThrownBy(() -> Destination.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Destination.of((InetAddress) null, 80)).isInstanceOf(NullPointerException.class);
    }
}
