package org.anytls4j.anytls.tls.fingerprint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bouncycastle.tls.TlsProtocol;

import java.io.IOException;

/**
 * Moves bytes between Netty's buffers and the byte arrays of Bouncy Castle's non-blocking protocol API: records in,
 * plaintext out, plaintext in, records out. Heap buffers are handed over in place; direct ones through one scratch
 * array. The caller owns every buffer it passes and every buffer it gets.
 */
final class ProtocolBuffers {
    private final TlsProtocol protocol;
    private final int maxPlaintext;
    private final byte[] scratch;

    ProtocolBuffers(TlsProtocol protocol, int maxPlaintext) {
        this.protocol = protocol;
        this.maxPlaintext = maxPlaintext;
        this.scratch = new byte[maxPlaintext];
    }

    /** Gives bctls all of {@code in}'s readable bytes (received records). */
    void offer(ByteBuf in) throws IOException {
        while (in.isReadable()) {
            if (in.hasArray()) {
                protocol.offerInput(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
                in.skipBytes(in.readableBytes());
            } else {
                int length = Math.min(in.readableBytes(), scratch.length);
                in.readBytes(scratch, 0, length);
                protocol.offerInput(scratch, 0, length);
            }
        }
    }

    /** The decrypted application data bctls holds, or null when it holds none. */
    ByteBuf readApplicationData(ByteBufAllocator alloc) {
        int available = protocol.getAvailableInputBytes();
        if (available <= 0) {
            return null;
        }
        ByteBuf plain = alloc.buffer(available);
        try {
            protocol.readInput(plain.internalNioBuffer(plain.writerIndex(), available), available);
            plain.writerIndex(plain.writerIndex() + available);
            return plain;
        } catch (RuntimeException e) {
            plain.release();
            throw e;
        }
    }

    /** Encrypts all of {@code plain}'s readable bytes: bctls makes one record per {@code maxPlaintext} bytes. */
    void writeApplicationData(ByteBuf plain) throws IOException {
        while (plain.isReadable()) {
            int length = Math.min(plain.readableBytes(), maxPlaintext);
            if (plain.hasArray()) {
                protocol.writeApplicationData(plain.array(), plain.arrayOffset() + plain.readerIndex(), length);
                plain.skipBytes(length);
            } else {
                plain.readBytes(scratch, 0, length);
                protocol.writeApplicationData(scratch, 0, length);
            }
        }
    }

    /** The records bctls produced (handshake messages, data, alerts), or null when there are none. */
    ByteBuf readOutput(ByteBufAllocator alloc) {
        int available = protocol.getAvailableOutputBytes();
        if (available == 0) {
            return null;
        }
        ByteBuf records = alloc.directBuffer(available);
        records.writerIndex(protocol.readOutput(records.internalNioBuffer(0, available), available));
        return records;
    }
}
