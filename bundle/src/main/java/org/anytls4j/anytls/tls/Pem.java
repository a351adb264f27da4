package org.anytls4j.anytls.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM (RFC 7468) blocks: reading them out of text and writing them. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER_LINE = Pattern.compile("(?m)^[A-Za-z-]+:.*$");

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...), decoded bytes, and RFC 1421 headers. */
    record Block(String label, byte[] der, boolean hasHeaders) {
    }

    private Pem() {
    }

    static List<Block> blocks(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String body = matcher.group(2);
            Matcher headers = HEADER_LINE.matcher(body);
            boolean hasHeaders = headers.find();
            String base64 = HEADER_LINE.matcher(body).replaceAll("").replaceAll("\\s", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block '" + matcher.group(1) + "' is not valid base64", e);
            }
            blocks.add(new Block(matcher.group(1), der, hasHeaders));
        }
        return blocks;
    }

    /** Every CERTIFICATE block, parsed by the JDK; at least one must be present. */
    static List<X509Certificate> certificates(byte[] content) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(content)) {
            if ("CERTIFICATE".equals(block.label())) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no '-----BEGIN CERTIFICATE-----' block found");
        }
        return certificates;
    }

    static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
