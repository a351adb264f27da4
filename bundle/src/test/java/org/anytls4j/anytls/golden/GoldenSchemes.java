package org.anytls4j.anytls.golden;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anytls4j.anytls.padding.PaddingScheme;

/** The padding schemes a golden file's header says were in force. */
final class GoldenSchemes {
    private static final Pattern SCHEME_HEX = Pattern.compile("^#\\s+hex: ([0-9a-f]+)$");
    private static final Pattern SCHEME_LINE = Pattern.compile(
        "^# (?:Server padding scheme|Padding scheme in force).* md5 ([0-9a-f]{32}):$");

    private GoldenSchemes() {
    }

    /**
     * The server's scheme: the exact bytes from the header's {@code hex:} line when the server ran with a custom
     * scheme, else the built-in default.
     *
     * @throws IllegalStateException if the header has no scheme line, or its md5 is not that of the scheme found
     */
    static PaddingScheme serverScheme(GoldenConversation conversation) {
        List<String> header = conversation.headerComments();
        String expectedMd5 = header.stream().map(SCHEME_LINE::matcher).filter(Matcher::matches)
            .map(matcher -> matcher.group(1)).findFirst()
            .orElseThrow(() -> new IllegalStateException(conversation.fileName() + ": no padding scheme line"));
        Optional<byte[]> raw = header.stream().map(SCHEME_HEX::matcher).filter(Matcher::matches)
            .map(matcher -> HexFormat.of().parseHex(matcher.group(1))).findFirst();
        PaddingScheme scheme = raw.map(PaddingScheme::parse).orElse(PaddingScheme.DEFAULT);
        if (!scheme.md5Hex().equals(expectedMd5)) {
            throw new IllegalStateException(conversation.fileName() + ": header md5 " + expectedMd5
                + " is not the md5 " + scheme.md5Hex() + " of the scheme read from it");
        }
        return scheme;
    }
}
