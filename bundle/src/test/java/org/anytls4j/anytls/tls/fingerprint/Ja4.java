package org.anytls4j.anytls.tls.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JA4 of a ClientHello, after FoxIO's public definition (technical_details/JA4.md): {@code a_b_c} where
 * a = protocol (t), highest supported version, SNI (d) or not (i), suite count, extension count (GREASE never
 * counted), first and last character of the first ALPN value (00 without ALPN); b = first 12 hex digits of the
 * SHA-256 of the sorted suites; c = the same of the sorted extensions without SNI and ALPN, an underscore, and the
 * signature algorithms in wire order.
 */
final class Ja4 {
    private Ja4() {
    }

    static String of(ParsedClientHello hello) {
        List<Integer> suites = withoutGrease(hello.cipherSuites);
        List<Integer> extensions = withoutGrease(hello.extensionOrder);
        String a = "t" + version(hello) + (hello.extensions.containsKey(ExtensionTypes.SERVER_NAME) ? "d" : "i")
                + twoDigits(suites.size()) + twoDigits(extensions.size()) + alpn(hello);
        String b = hash12(hex(suites.stream().sorted().collect(Collectors.toList())));
        List<Integer> hashedExtensions = extensions.stream()
                .filter(type -> type != ExtensionTypes.SERVER_NAME && type != ExtensionTypes.ALPN)
                .sorted().collect(Collectors.toList());
        List<Integer> signatures = hello.extensions.containsKey(ExtensionTypes.SIGNATURE_ALGORITHMS)
                ? withoutGrease(hello.signatureAlgorithms()) : List.of();
        String c = hash12(hex(hashedExtensions) + (signatures.isEmpty() ? "" : "_" + hex(signatures)));
        return a + "_" + b + "_" + c;
    }

    static String hash12(String text) {
        if (text.isEmpty()) {
            return "000000000000";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(List<Integer> values) {
        return values.stream().map(value -> String.format("%04x", value)).collect(Collectors.joining(","));
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        return values.stream().filter(value -> !ParsedClientHello.isGrease(value)).collect(Collectors.toList());
    }

    private static String version(ParsedClientHello hello) {
        int highest;
        if (hello.extensions.containsKey(ExtensionTypes.SUPPORTED_VERSIONS)) {
            highest = withoutGrease(hello.supportedVersions()).stream().max(Integer::compare).orElseThrow();
        } else {
            throw new IllegalArgumentException("a hello without supported_versions is not handled here");
        }
        switch (highest) {
            case 0x0304:
                return "13";
            case 0x0303:
                return "12";
            default:
                return "00";
        }
    }

    private static String twoDigits(int count) {
        return String.format("%02d", Math.min(count, 99));
    }

    private static String alpn(ParsedClientHello hello) {
        List<String> protocols = hello.alpn();
        if (protocols.isEmpty()) {
            return "00";
        }
        String first = protocols.get(0);
        return "" + first.charAt(0) + first.charAt(first.length() - 1);
    }
}
