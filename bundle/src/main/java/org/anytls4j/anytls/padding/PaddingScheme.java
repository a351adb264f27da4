package org.anytls4j.anytls.padding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A parsed AnyTLS padding scheme (spec §9): the rules that give the record sizes of the first writes of a
 * client session, the packet index {@code stop} from which shaping ends, and the md5 that client and server
 * compare to decide whether the server pushes its scheme.
 *
 * <p>Immutable. Two parsers build it: {@link #parse(byte[])} is strict (for schemes we configure or push)
 * and {@link #parseLenient(byte[])} mirrors the Go client (for schemes a server pushes to us). Neither ever
 * returns a half-applied scheme: bad input is rejected as a whole with {@link InvalidPaddingSchemeException}.
 * Equality is over the raw bytes, which is also what the md5 covers.
 */
public final class PaddingScheme {

    /** Marks a check mark in the lists returned by {@link #sizes(int, PaddingRandom)}. */
    public static final int CHECK_MARK = -1;

    /** The largest auth padding length the auth block can encode (a u16). */
    static final int MAX_AUTH_PADDING = 0xFFFF;

    private static final String DEFAULT_TEXT = "stop=8\n"
            + "0=30-30\n"
            + "1=100-400\n"
            + "2=400-500,c,500-1000,c,500-1000,c,500-1000,c,500-1000\n"
            + "3=9-9,500-1000\n"
            + "4=500-1000\n"
            + "5=500-1000\n"
            + "6=500-1000\n"
            + "7=500-1000";

    /** The built-in scheme of every implementation (spec §9.7): 137 bytes, md5 {@code 75cff2ad89aadf5e257059ee571ebe11}. */
    public static final PaddingScheme DEFAULT = parse(DEFAULT_TEXT);

    private final byte[] raw;
    private final String md5Hex;
    private final int stop;
    private final Map<Integer, List<SizeItem>> rules;

    PaddingScheme(byte[] raw, int stop, Map<Integer, List<SizeItem>> rules) {
        this.raw = raw.clone();
        this.md5Hex = md5Hex(this.raw);
        this.stop = stop;
        Map<Integer, List<SizeItem>> copy = new TreeMap<>();
        rules.forEach((packet, items) -> copy.put(packet, List.copyOf(items)));
        this.rules = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses a scheme strictly; see {@link StrictSchemeParser} for the exact rules.
     *
     * @throws InvalidPaddingSchemeException naming the offending line and value
     */
    public static PaddingScheme parse(byte[] raw) {
        return StrictSchemeParser.parse(Objects.requireNonNull(raw, "raw"));
    }

    /** Parses the UTF-8 bytes of {@code text} strictly, like {@link #parse(byte[])}. */
    public static PaddingScheme parse(String text) {
        return parse(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a scheme the way the Go client does; meant for schemes pushed by a server we connect to.
     * See {@link LenientSchemeParser} for the exact rules.
     *
     * @throws InvalidPaddingSchemeException when even the Go client would refuse it (no usable {@code stop})
     */
    public static PaddingScheme parseLenient(byte[] raw) {
        return LenientSchemeParser.parse(Objects.requireNonNull(raw, "raw"));
    }

    /** A copy of the exact bytes the scheme was parsed from. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Lowercase hex md5 of {@link #raw()}, as sent in the {@code padding-md5} setting. */
    public String md5Hex() {
        return md5Hex;
    }

    /** The first packet index that is no longer shaped. */
    public int stop() {
        return stop;
    }

    /** The items of the rule for {@code packet}, in order; empty when the scheme has no such key. */
    public List<SizeItem> rule(int packet) {
        requireValidPacket(packet);
        return rules.getOrDefault(packet, List.of());
    }

    /**
     * The padding0 length of the auth block (spec §3.1): the first item of key {@code 0}, resolved.
     * Returns 0 when key 0 is missing or starts with a check mark: the Go clients then encode 0xFFFF but send
     * no padding, which breaks authentication; the rewrite and anytls-rs send 0, and so do we. Only the first
     * item is resolved (the Go client also draws for the others and throws them away). A size above 65535,
     * which only the lenient parser lets through, is capped to 65535 because the length field is a u16.
     */
    public int authPaddingLength(PaddingRandom random) {
        Objects.requireNonNull(random, "random");
        List<SizeItem> items = rule(0);
        if (items.isEmpty() || items.get(0).isCheckMark()) {
            return 0;
        }
        return Math.min(items.get(0).resolve(random), MAX_AUTH_PADDING);
    }

    /**
     * The record sizes of {@code packet}: each item of its rule resolved in order, a check mark as
     * {@link #CHECK_MARK} (what spec §17.19 calls "generate"). Empty when there is no rule. Does not look at
     * {@link #stop()}: deciding when shaping ends is the {@link PacketShaper}'s job.
     */
    public List<Integer> sizes(int packet, PaddingRandom random) {
        Objects.requireNonNull(random, "random");
        List<SizeItem> items = rule(packet);
        List<Integer> sizes = new ArrayList<>(items.size());
        for (SizeItem item : items) {
            sizes.add(item.resolve(random));
        }
        return Collections.unmodifiableList(sizes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PaddingScheme scheme && Arrays.equals(scheme.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "PaddingScheme[md5=" + md5Hex + ", stop=" + stop + "]";
    }

    private static void requireValidPacket(int packet) {
        if (packet < 0) {
            throw new IllegalArgumentException("packet index must be >= 0, was " + packet);
        }
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide MD5.
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
