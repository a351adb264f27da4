package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shaped records through a real client/server {@link SslHandler} pair: each planned size must become exactly one
 * TLS record, which only holds when every record is flushed on its own.
 *
 * <p>Record boundaries are read on the wire: with TLS 1.3 pinned, every record after the handshake is
 * {@code 17 03 03 len}. The plaintext size cannot be computed from {@code len}, because the JDK pads its TLS 1.3
 * records (seen here: 16 zero bytes after the inner content type, on top of the 16-byte tag). So each wire record
 * is fed alone to the server's {@code SslHandler}, and what it decrypts from that one record is the record's
 * plaintext.
 */
class SslRecordShapeTest {
    private static final String TLS_13 = "TLSv1.3";
    private static final String AES_128_GCM = "TLS_AES_128_GCM_SHA256";
    private static final int APPLICATION_DATA = 0x17;
    private static final int MAX_HANDSHAKE_ROUNDS = 20;

    /** Spec §17.9, the 105-byte first session write. */
    private static final byte[] FIRST_WRITE = Records.hex("04000000000045763d320a636c69656e743d616e79746c732f30"
            + "2e302e31330a70616464696e672d6d64353d37356366663261643839616164663565323537303539656535373165626531"
            + "31010000000100000200000001000f030b6578616d706c652e636f6d01bb");

    private final ScriptedRandom random = new ScriptedRandom();
    private EmbeddedChannel client;
    private EmbeddedChannel server;

    @BeforeEach
    void handshake() throws SSLException {
        X509Bundle certificate = TestCertificates.localhost();
        SslContext serverContext = SslContextBuilder
                .forServer(certificate.getKeyPair().getPrivate(), certificate.getCertificatePath())
                .sslProvider(SslProvider.JDK).protocols(TLS_13).ciphers(List.of(AES_128_GCM)).build();
        SslContext clientContext = SslContextBuilder.forClient()
                .trustManager(certificate.getCertificate())
                .sslProvider(SslProvider.JDK).protocols(TLS_13).ciphers(List.of(AES_128_GCM)).build();
        client = new EmbeddedChannel(clientContext.newHandler(ByteBufAllocator.DEFAULT, "localhost", 443));
        server = new EmbeddedChannel(serverContext.newHandler(ByteBufAllocator.DEFAULT));

        SslHandler clientSsl = client.pipeline().get(SslHandler.class);
        SslHandler serverSsl = server.pipeline().get(SslHandler.class);
        for (int round = 0; round < MAX_HANDSHAKE_ROUNDS; round++) {
            boolean moved = shuttle(client, server) | shuttle(server, client);
            if (!moved && clientSsl.handshakeFuture().isDone() && serverSsl.handshakeFuture().isDone()) {
                break;
            }
        }
        assertThat(clientSsl.handshakeFuture().isSuccess()).as("client handshake").isTrue();
        assertThat(serverSsl.handshakeFuture().isSuccess()).as("server handshake").isTrue();
        assertThat(clientSsl.engine().getSession().getProtocol()).isEqualTo(TLS_13);
        assertThat(clientSsl.engine().getSession().getCipherSuite()).isEqualTo(AES_128_GCM);
    }

    @AfterEach
    void closeChannels() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void flushingEachShapedRecordGivesOneTlsRecordPerPlannedSize() {
        PacketShaper shaper = new PacketShaper(() -> PaddingScheme.DEFAULT, random);
        random.expect(100, 400, 200)
                .expect(400, 500, 450).expect(500, 1000, 700).expect(500, 1000, 800)
                .expect(500, 1000, 900).expect(500, 1000, 600)
                .expect(500, 1000, 600);
        List<ByteBuf> records = new ArrayList<>();
        records.addAll(shaper.shape(ByteBufAllocator.DEFAULT, Records.buffer(FIRST_WRITE)));
        records.addAll(shaper.shape(ByteBufAllocator.DEFAULT, Records.buffer(Records.write(3000))));
        records.addAll(shaper.shape(ByteBufAllocator.DEFAULT, Records.buffer(Records.write(9))));
        random.assertExhausted();

        List<Integer> wireSizes = new ArrayList<>();
        for (ByteBuf record : records) {
            byte[] plaintext = Records.bytes(record);
            client.writeAndFlush(record);
            List<byte[]> tlsRecords = tlsRecords(drainOutbound(client));
            assertThat(tlsRecords).as("TLS records for one flushed %d-byte record", plaintext.length).hasSize(1);
            byte[] decrypted = decryptOnServer(tlsRecords.get(0));
            assertThat(decrypted).isEqualTo(plaintext);
            wireSizes.add(decrypted.length);
        }

        assertThat(wireSizes).containsExactly(200, 450, 700, 800, 900, 600, 9, 607);
    }

    @Test
    void flushingAllRecordsOnceMergesThemAndLosesTheShape() {
        PacketShaper shaper = new PacketShaper(() -> PaddingScheme.parse("stop=2\n1=450-450,700-700,800-800"), random);
        byte[] input = Records.write(2000);
        List<ByteBuf> records = shaper.shape(ByteBufAllocator.DEFAULT, Records.buffer(input));
        assertThat(Records.sizes(records)).containsExactly(450, 700, 800, 50);

        records.forEach(client::write);
        client.flush();
        List<byte[]> tlsRecords = tlsRecords(drainOutbound(client));

        assertThat(tlsRecords).as("SslHandler coalesces writes flushed together").hasSize(1);
        assertThat(decryptOnServer(tlsRecords.get(0))).isEqualTo(input);
    }

    /** Moves every outbound buffer of {@code from} into {@code to}; true if anything moved. */
    private static boolean shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf buf = from.readOutbound(); buf != null; buf = from.readOutbound()) {
            to.writeInbound(buf);
            moved = true;
        }
        return moved;
    }

    private static byte[] drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            try {
                out.writeBytes(Records.bytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    /** Splits wire bytes into whole TLS records (header included); fails on anything but TLS 1.3 application data. */
    private static List<byte[]> tlsRecords(byte[] wire) {
        List<byte[]> records = new ArrayList<>();
        int offset = 0;
        while (offset < wire.length) {
            assertThat(wire.length - offset).as("TLS record header at %d", offset).isGreaterThanOrEqualTo(5);
            assertThat(wire[offset] & 0xff).as("content type").isEqualTo(APPLICATION_DATA);
            assertThat(Arrays.copyOfRange(wire, offset + 1, offset + 3)).as("legacy version")
                    .containsExactly(0x03, 0x03);
            int length = ((wire[offset + 3] & 0xff) << 8) | (wire[offset + 4] & 0xff);
            int end = offset + 5 + length;
            assertThat(end).as("whole TLS record at %d", offset).isLessThanOrEqualTo(wire.length);
            records.add(Arrays.copyOfRange(wire, offset, end));
            offset = end;
        }
        return records;
    }

    /** Feeds one TLS record to the server and returns what its SslHandler decrypted from it. */
    private byte[] decryptOnServer(byte[] tlsRecord) {
        server.writeInbound(Unpooled.wrappedBuffer(tlsRecord));
        ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
        for (ByteBuf buf = server.readInbound(); buf != null; buf = server.readInbound()) {
            try {
                plaintext.writeBytes(Records.bytes(buf));
            } finally {
                buf.release();
            }
        }
        return plaintext.toByteArray();
    }
}
