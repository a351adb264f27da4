package org.anytls4j.anytls.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "2001:db8::1", "2001:db8:0:0:0:0:2:1", "fe80::1:2:3:4:5:6",
        "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7:8", "ABCD:ef01::"})
    void recognisesIpv6Literals(String text) {
        assertThat(HostSyntax.isIpv6Literal(text)).isTrue();
        assertThat(HostSyntax.isIpLiteral(text)).isTrue();
        assertThat(HostSyntax.isDnsName(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::",
        "g::1", ":1::", "1::2:", "fe80::1%eth0", "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7::8", "[::1]"})
    void refusesMalformedIpv6(String text) {
        assertThat(HostSyntax.isIpv6Literal(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.0.10"})
    void recognisesIpv4Literals(String text) {
        assertThat(HostSyntax.isIpv4Literal(text)).isTrue();
        assertThat(HostSyntax.isDnsName(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", "1..2.3", "a.b.c.d"})
    void refusesMalformedIpv4(String text) {
        assertThat(HostSyntax.isIpv4Literal(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "a", "xn--bcher-kva.example", "my_host.lan", "A-1.B-2", "1a.example"})
    void recognisesDnsNames(String text) {
        assertThat(HostSyntax.isDnsName(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a.example", "a-.example", "a..b", "a.example.", "bücher.example", "a b",
        "1.2.3.999"})
    void refusesMalformedDnsNames(String text) {
        assertThat(HostSyntax.isDnsName(text)).isFalse();
    }

    @Test
    void refusesOverlongNamesAndLabels() {
        assertThat(HostSyntax.isDnsName("a".repeat(63) + ".example")).isTrue();
        assertThat(HostSyntax.isDnsName("a".repeat(64) + ".example")).isFalse();
        assertThat(HostSyntax.isDnsName(("a".repeat(50) + ".").repeat(5) + "com")).isFalse();
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(HostPort.parse("[2001:db8::1]:443")).hasToString("[2001:db8::1]:443");
        assertThat(HostPort.parse("example.com:80")).hasToString("example.com:80");
    }

    @Test
    void knowsIpLiterals() {
        assertThat(new HostPort("::1", 1).isIpLiteral()).isTrue();
        assertThat(new HostPort("1.2.3.4", 1).isIpLiteral()).isTrue();
        assertThat(new HostPort("example.com", 1).isIpLiteral()).isFalse();
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new HostPort("bad host", 1)).hasMessage("not a DNS name or IP address: 'bad host'");
        assertThatThrownBy(() -> new HostPort("a.example", 0)).hasMessage("port 0 is outside 1..65535");
    }
}
