package org.anytls4j.anytls.config;

import org.anytls4j.anytls.tls.fingerprint.HelloProfiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code anytls://[password@]host[:port]/?sni=...&insecure=1} URI (spec §14).
 *
 * <p>Where implementations disagree this follows the spec, not the reference client: the port defaults to 443
 * (anytls-go requires one), and the password is the whole raw userinfo, percent-decoded as UTF-8 and including
 * any ':' (anytls-go re-escapes it, so {@code p%40ss} would become the literal {@code p%40ss}; a ':' is not a
 * user/password separator because AnyTLS has no user names on the wire). A raw '@' in the userinfo is
 * tolerated: the host starts after the last '@' of the authority.
 *
 * <p>Fragments are rejected rather than ignored, so that a '#' in an unencoded password cannot silently cut it
 * short. Unknown query parameters are kept (see {@link #otherParameters()}) but mean nothing here.
 *
 * <p>No message of an exception thrown here, nor {@link #toString()}, contains the password.
 */
public final class AnyTlsUri {

    public static final String SCHEME = "anytls";
    public static final int DEFAULT_PORT = 443;

    private static final String SNI = "sni";
    private static final String INSECURE = "insecure";
    /** The ClientHello fingerprint, as sing-box and mihomo share links spell it ({@code fp=chrome}). */
    private static final String FINGERPRINT = "fp";

    private final Optional<Secret> password;
    private final HostPort server;
    private final Optional<String> sni;
    private final Optional<Boolean> insecure;
    private final Optional<String> fingerprint;
    private final Map<String, String> otherParameters;

    private AnyTlsUri(Optional<Secret> password, HostPort server, Optional<String> sni, Optional<Boolean> insecure,
            Optional<String> fingerprint, Map<String, String> otherParameters) {
        this.password = password;
        this.server = server;
        this.sni = sni;
        this.insecure = insecure;
        this.fingerprint = fingerprint;
        this.otherParameters = Collections.unmodifiableMap(new LinkedHashMap<>(otherParameters));
    }

    /**
     * Parses an AnyTLS URI; the scheme is matched case-insensitively and surrounding white space is ignored.
     *
     * @throws IllegalArgumentException naming what is wrong; the message never contains the password
     */
    public static AnyTlsUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String text = uri.strip();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("not an anytls URI (expected anytls://[password@]host[:port]/?...)");
        }
        String scheme = text.substring(0, schemeEnd);
        if (!scheme.equalsIgnoreCase(SCHEME)) {
            String shown = scheme.matches("[A-Za-z][A-Za-z0-9+.-]{0,31}") ? "'" + scheme + "'" : "in the URI";
            throw new IllegalArgumentException("unsupported scheme " + shown + " (expected anytls)");
        }
        String rest = text.substring(schemeEnd + 3);
        String masked = masked(rest);
        if (rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a fragment ('#...') is not allowed in " + masked
                    + " (encode a '#' in the password as %23)");
        }
        int authorityEnd = indexOfAny(rest, "/?");
        if (authorityEnd >= 0 && rest.lastIndexOf('@') > authorityEnd) {
            // Either a password with an unencoded '/' or '?', or an '@' in the query: both ambiguous, and the
            // pieces after the host could hold part of the password, so nothing of them may be quoted.
            throw new IllegalArgumentException("an '@' after the host in " + masked
                    + " (percent-encode '/', '?', '#' and '@' in the password and in parameters)");
        }
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

        int at = authority.lastIndexOf('@');
        Optional<Secret> password = Optional.empty();
        if (at >= 0) {
            password = Optional.of(decodePassword(authority.substring(0, at), masked));
        }
        HostPort server = parseServer(authority.substring(at + 1), masked);

        int queryStart = afterAuthority.indexOf('?');
        String path = queryStart < 0 ? afterAuthority : afterAuthority.substring(0, queryStart);
        if (!path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("unexpected path '" + path + "' in " + masked
                    + " (expected '/' or nothing before '?')");
        }
        Map<String, String> parameters = parseQuery(queryStart < 0 ? "" : afterAuthority.substring(queryStart + 1),
                masked);
        Optional<String> sni = Optional.ofNullable(parameters.remove(SNI)).filter(value -> !value.isEmpty());
        if (sni.isPresent() && !HostSyntax.isHost(sni.get())) {
            throw new IllegalArgumentException("sni '" + sni.get() + "' is not a host name or IP address in "
                    + masked);
        }
        String insecureText = parameters.remove(INSECURE);
        Optional<Boolean> insecure = Optional.empty();
        if (insecureText != null) {
            insecure = Optional.of(parseInsecure(insecureText, masked));
        }
        Optional<String> fingerprint = Optional.ofNullable(parameters.remove(FINGERPRINT))
                .filter(value -> !value.isEmpty())
                .map(value -> parseFingerprint(value, masked));
        return new AnyTlsUri(password, server, sni, insecure, fingerprint, parameters);
    }

    /** The password from the userinfo, if the URI has one. */
    public Optional<Secret> password() {
        return password;
    }

    /** The host without brackets. */
    public String host() {
        return server.host();
    }

    /** The port, {@value #DEFAULT_PORT} when the URI gives none. */
    public int port() {
        return server.port();
    }

    public HostPort server() {
        return server;
    }

    /** The {@code sni} parameter; empty when absent or empty. */
    public Optional<String> sni() {
        return sni;
    }

    /** The {@code insecure} parameter; empty when absent, so that callers can tell "not said" from "0". */
    public Optional<Boolean> insecure() {
        return insecure;
    }

    /** The {@code fp} parameter (lower-cased), a name of {@link HelloProfiles#names()}; empty when absent or empty. */
    public Optional<String> fingerprint() {
        return fingerprint;
    }

    /** Query parameters other than {@code sni}, {@code insecure} and {@code fp}, decoded, in URI order. */
    public Map<String, String> otherParameters() {
        return otherParameters;
    }

    /**
     * This URI in canonical form: explicit port, {@code sni}, {@code insecure} ({@code 1}/{@code 0}) and {@code fp}
     * first,
     * other parameters after them; everything percent-encoded where needed.
     *
     * @param includePassword whether to write the password; otherwise a present password shows as {@code ***}
     */
    public String toUriString(boolean includePassword) {
        StringBuilder out = new StringBuilder(SCHEME).append("://");
        password.ifPresent(secret -> out.append(includePassword ? PercentCoding.encode(secret.reveal())
                : InvalidConfigurationException.MASK).append('@'));
        out.append(server).append('/');
        Map<String, String> parameters = new LinkedHashMap<>();
        sni.ifPresent(value -> parameters.put(SNI, value));
        insecure.ifPresent(value -> parameters.put(INSECURE, value ? "1" : "0"));
        fingerprint.ifPresent(value -> parameters.put(FINGERPRINT, value));
        parameters.putAll(otherParameters);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            out.append(separator).append(PercentCoding.encode(parameter.getKey()))
                    .append('=').append(PercentCoding.encode(parameter.getValue()));
            separator = '&';
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AnyTlsUri)) {
            return false;
        }
        AnyTlsUri that = (AnyTlsUri) other;
        return password.equals(that.password) && server.equals(that.server) && sni.equals(that.sni)
                && insecure.equals(that.insecure) && fingerprint.equals(that.fingerprint)
                && otherParameters.equals(that.otherParameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(password, server, sni, insecure, fingerprint, otherParameters);
    }

    /** The URI with the password masked. */
    @Override
    public String toString() {
        return toUriString(false);
    }

    /**
     * The text after "://" for messages. Everything up to the last '@' is masked, wherever it is: a password
     * that holds an unencoded '/', '?' or '@' must not leak just because the URI around it is malformed.
     */
    private static String masked(String rest) {
        int at = rest.lastIndexOf('@');
        return SCHEME + "://" + (at < 0 ? rest : InvalidConfigurationException.MASK + rest.substring(at));
    }

    private static Secret decodePassword(String userinfo, String masked) {
        if (userinfo.isEmpty()) {
            throw new IllegalArgumentException("empty password before '@' in " + masked);
        }
        String decoded;
        try {
            decoded = PercentCoding.decode(userinfo);
        } catch (IllegalArgumentException e) {
            // The cause's message is about the password text; keep it out of the chain.
            throw new IllegalArgumentException("the password has invalid percent-encoding in " + masked);
        }
        return Secret.of(decoded);
    }

    private static HostPort parseServer(String hostAndPort, String masked) {
        if (hostAndPort.isEmpty() || hostAndPort.startsWith(":")) {
            throw new IllegalArgumentException("missing host in " + masked);
        }
        String host;
        String portText = null;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address in " + masked);
            }
            host = hostAndPort.substring(1, close);
            if (!HostSyntax.isIpv6Literal(host)) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address in " + masked);
            }
            String afterBracket = hostAndPort.substring(close + 1);
            if (!afterBracket.isEmpty()) {
                if (!afterBracket.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':<port>' after ']' in " + masked);
                }
                portText = afterBracket.substring(1);
            }
        } else {
            int colon = hostAndPort.indexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
            if (colon >= 0) {
                portText = hostAndPort.substring(colon + 1);
                if (portText.indexOf(':') >= 0) {
                    throw new IllegalArgumentException("an IPv6 address must be written in brackets in " + masked);
                }
            }
            if (!HostSyntax.isDnsName(host) && !HostSyntax.isIpv4Literal(host)) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or IP address in " + masked);
            }
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            try {
                port = HostPort.parsePort(portText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " in " + masked, e);
            }
        }
        return new HostPort(host, port);
    }

    private static Map<String, String> parseQuery(String query, String masked) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key;
            String value;
            try {
                key = PercentCoding.decode(equals < 0 ? pair : pair.substring(0, equals));
                value = equals < 0 ? "" : PercentCoding.decode(pair.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter '" + pair + "' has invalid percent-encoding ("
                        + e.getMessage() + ") in " + masked, e);
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("query parameter '" + pair + "' has no name in " + masked);
            }
            if (parameters.put(key, value) != null) {
                throw new IllegalArgumentException("query parameter '" + key + "' is given twice in " + masked);
            }
        }
        return parameters;
    }

    private static boolean parseInsecure(String text, String masked) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
                return true;
            case "0":
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("insecure='" + text + "' is not 1, 0, true or false in " + masked);
        }
    }

    /**
     * A profile this client has; any other name is refused rather than ignored: a link that asks to look like a
     * browser must not silently connect with a hello that does not.
     */
    private static String parseFingerprint(String text, String masked) {
        String name = text.toLowerCase(Locale.ROOT);
        if (!HelloProfiles.names().contains(name)) {
            throw new IllegalArgumentException("fp='" + text + "' is not one of " + String.join(", ",
                    HelloProfiles.names()) + " in " + masked);
        }
        return name;
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
