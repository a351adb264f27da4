package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The authentication block a client writes first after the TLS handshake (spec §3.1):
 * {@code sha256(password) 32 B | padding0 length u16 BE | padding0 (zeros)}.
 */
public final class AuthBlock {

    /** Bytes of the password hash. */
    public static final int HASH_LENGTH = 32;
    /** Hash plus the padding length field: the least an auth block can be. */
    public static final int HEADER_LENGTH = HASH_LENGTH + 2;
    /** The largest padding the 16-bit length field can announce. */
    public static final int MAX_PADDING_LENGTH = 0xFFFF;

    private AuthBlock() {
    }

    /**
     * Encodes an auth block with {@code paddingLength} zero bytes of padding.
     *
     * <p>A negative {@code paddingLength} is written as 0: a scheme whose key {@code 0} starts with the check mark
     * makes the Go clients send {@code 0xFFFF} without any padding bytes, which breaks authentication; the rewrite
     * and anytls-rs send 0 instead, and so does this (§3.1).
     *
     * @throws IllegalArgumentException if the hash is not 32 bytes or {@code paddingLength} exceeds 65535
     */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[] passwordSha256, int paddingLength) {
        checkHash(passwordSha256);
        if (paddingLength > MAX_PADDING_LENGTH) {
            throw new IllegalArgumentException("auth padding length " + paddingLength + " exceeds "
                + MAX_PADDING_LENGTH);
        }
        int padding = Math.max(0, paddingLength);
        ByteBuf out = alloc.buffer(HEADER_LENGTH + padding);
        out.writeBytes(passwordSha256);
        out.writeShort(padding);
        out.writeZero(padding);
        return out;
    }

    /** SHA-256 of the UTF-8 bytes of {@code password}: the raw 32-byte digest, not hex. */
    public static byte[] passwordHash(String password) {
        Objects.requireNonNull(password, "password");
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /**
     * Looks for a complete auth block at the reader index of {@code in}. Never moves any index, so a server can
     * keep accumulating bytes (the padding may span TLS records, §3.1) and still replay everything it read to a
     * fallback if authentication fails. Once complete, the server skips {@link Parse#totalLength()} bytes; what
     * follows is the session's frame stream, even within the same record.
     */
    public static Parse parse(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < HEADER_LENGTH) {
            return Parse.needMore(HEADER_LENGTH);
        }
        int paddingLength = in.getUnsignedShort(start + HASH_LENGTH);
        int totalLength = HEADER_LENGTH + paddingLength;
        if (in.readableBytes() < totalLength) {
            return Parse.needMore(totalLength);
        }
        byte[] hash = new byte[HASH_LENGTH];
        in.getBytes(start, hash);
        return new Parse(Parse.Status.COMPLETE, hash, paddingLength, totalLength);
    }

    /**
     * Compares, in constant time, {@code expectedHash} with the 32 bytes of {@code in} at absolute {@code index},
     * without moving any index. Lets a server reject a wrong password as soon as 32 bytes are in, before the
     * padding has arrived.
     *
     * @throws IndexOutOfBoundsException if {@code in} has fewer than 32 bytes at {@code index}
     */
    public static boolean matches(byte[] expectedHash, ByteBuf in, int index) {
        checkHash(expectedHash);
        byte[] actual = new byte[HASH_LENGTH];
        in.getBytes(index, actual);
        return MessageDigest.isEqual(expectedHash, actual);
    }

    private static void checkHash(byte[] hash) {
        Objects.requireNonNull(hash, "password hash");
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("password hash must be " + HASH_LENGTH + " bytes (raw SHA-256), got "
                + hash.length);
        }
    }

    /** What {@link #parse(ByteBuf)} found. */
    public static final class Parse {

        public enum Status {
            /** The block is not complete yet; wait for at least {@link #requiredLength()} readable bytes. */
            NEED_MORE,
            /** The block is complete; hash, padding length and total length are known. */
            COMPLETE,
        }

        private static final Parse NEED_HEADER = new Parse(Status.NEED_MORE, null, -1, HEADER_LENGTH);

        private final Status status;
        private final byte[] hash;
        private final int paddingLength;
        private final int requiredLength;

        private Parse(Status status, byte[] hash, int paddingLength, int requiredLength) {
            this.status = status;
            this.hash = hash;
            this.paddingLength = paddingLength;
            this.requiredLength = requiredLength;
        }

        private static Parse needMore(int requiredLength) {
            return requiredLength == HEADER_LENGTH ? NEED_HEADER
                : new Parse(Status.NEED_MORE, null, requiredLength - HEADER_LENGTH, requiredLength);
        }

        public Status status() {
            return status;
        }

        public boolean isComplete() {
            return status == Status.COMPLETE;
        }

        /**
         * The fewest readable bytes the block needs: its total length once the padding length is known, else 34.
         */
        public int requiredLength() {
            return requiredLength;
        }

        /** Padding length announced by the block, or -1 while fewer than 34 bytes were available. */
        public int paddingLength() {
            return paddingLength;
        }

        /** A copy of the 32-byte hash the client sent. */
        public byte[] hash() {
            requireComplete("hash");
            return hash.clone();
        }

        /** Hash, length field and padding: the bytes to skip before the frame stream starts. */
        public int totalLength() {
            requireComplete("totalLength");
            return requiredLength;
        }

        /** Constant-time comparison of the received hash with {@code expectedHash}. */
        public boolean hashMatches(byte[] expectedHash) {
            requireComplete("hashMatches");
            checkHash(expectedHash);
            return MessageDigest.isEqual(expectedHash, hash);
        }

        private void requireComplete(String what) {
            if (status != Status.COMPLETE) {
                throw new IllegalStateException(what + " is unknown until the auth block is complete (need "
                    + requiredLength + " bytes)");
            }
        }

        /** Never shows the hash: it is a password equivalent. */
        @Override
        public String toString() {
            return status == Status.COMPLETE
                ? "AuthBlock.Parse[COMPLETE padding=" + paddingLength + " total=" + requiredLength + "]"
                : "AuthBlock.Parse[NEED_MORE required=" + requiredLength + "]";
        }
    }
}
