package org.anytls4j.anytls.tls.fingerprint;

import java.util.List;
import java.util.Objects;

/**
 * What one browser's TLS ClientHello contains, as plain data: the engine ({@link FingerprintTlsHandler}) turns it into
 * bytes, so a new browser or a newer release is a new table in {@link HelloProfiles}, not new code.
 *
 * <p>All code points are the IANA numbers (RFC 8446 and the TLS registries). GREASE values (RFC 8701) are not listed:
 * the flags say where the engine puts a fresh one per connection.
 *
 * @param name                 the value of the {@code fingerprint} option that selects it
 * @param cipherSuites         offered suites in wire order, without GREASE
 * @param extensions           every extension type the hello carries (without GREASE), in a canonical order; the
 *                             order on the wire is this one, or a fresh permutation of it when
 *                             {@code permuteExtensions}. {@code server_name} and {@code application_layer_protocol_
 *                             negotiation} are left out on the wire when there is no SNI or no ALPN list
 * @param supportedGroups      {@code supported_groups} in preference order
 * @param keyShareGroups       the groups that get a key share in the first hello (a subset of supportedGroups, same
 *                             order)
 * @param signatureAlgorithms  {@code signature_algorithms} in wire order
 * @param supportedVersions    {@code supported_versions}, newest first (0x0304, 0x0303)
 * @param defaultAlpn          ALPN offered when the user configured none
 * @param alpsProtocols        protocols of the {@code application_settings} extension (ALPS)
 * @param alpsCodePoint        the ALPS extension's code point (Chrome moved from 0x4469 to 0x44cd)
 * @param certificateCompressionAlgorithms {@code compress_certificate} algorithms (RFC 8879)
 * @param echGreasePayloadLengths the lengths of the fake ECH payload, one picked at random per connection
 * @param grease               whether GREASE goes into suites, extensions, groups, versions and key shares
 * @param permuteExtensions    whether the extension order is shuffled per connection (Chrome 110+)
 */
public record HelloProfile(
        String name,
        List<Integer> cipherSuites,
        List<Integer> extensions,
        List<Integer> supportedGroups,
        List<Integer> keyShareGroups,
        List<Integer> signatureAlgorithms,
        List<Integer> supportedVersions,
        List<String> defaultAlpn,
        List<String> alpsProtocols,
        int alpsCodePoint,
        List<Integer> certificateCompressionAlgorithms,
        List<Integer> echGreasePayloadLengths,
        boolean grease,
        boolean permuteExtensions) {

    public HelloProfile {
        Objects.requireNonNull(name, "name");
        cipherSuites = List.copyOf(cipherSuites);
        extensions = List.copyOf(extensions);
        supportedGroups = List.copyOf(supportedGroups);
        keyShareGroups = List.copyOf(keyShareGroups);
        signatureAlgorithms = List.copyOf(signatureAlgorithms);
        supportedVersions = List.copyOf(supportedVersions);
        defaultAlpn = List.copyOf(defaultAlpn);
        alpsProtocols = List.copyOf(alpsProtocols);
        certificateCompressionAlgorithms = List.copyOf(certificateCompressionAlgorithms);
        echGreasePayloadLengths = List.copyOf(echGreasePayloadLengths);
        if (!supportedGroups.containsAll(keyShareGroups)) {
            throw new IllegalArgumentException(name + ": every key share group must be a supported group");
        }
        if (extensions.contains(ExtensionTypes.ECH) && echGreasePayloadLengths.isEmpty()) {
            throw new IllegalArgumentException(name + ": ECH GREASE needs at least one payload length");
        }
    }

    public boolean offers(int extensionType) {
        return extensions.contains(extensionType);
    }
}
