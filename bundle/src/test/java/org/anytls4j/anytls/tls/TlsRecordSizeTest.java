package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what {@link TlsRecordSize} assumes about the JDK's engine, through a real client/server {@link SslHandler}
 * pair: if a JDK changes how much plaintext a record holds, this test says so before the benchmarks do.
 */
class TlsRecordSizeTest {
    private static final int MAX_HANDSHAKE_ROUNDS = 20;
    private static final int TLS_HEADER = 5;

    private EmbeddedChannel client;
    private EmbeddedChannel server;

    @AfterEach
    void closeChannels() {
        if (client != null) {
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
        }
    }

    private SslHandler handshake(String protocol) throws SSLException {
        X509Bundle certificate = TestCertificates.localhost();
        SslContext serverContext = SslContextBuilder
                .forServer(certificate.getKeyPair().getPrivate(), certificate.getCertificatePath())
                .sslProvider(SslProvider.JDK).protocols(protocol).build();
        SslContext clientContext = SslContextBuilder.forClient().trustManager(certificate.getCertificate())
                .sslProvider(SslProvider.JDK).protocols(protocol).build();
        client = new EmbeddedChannel(clientContext.newHandler(ByteBufAllocator.DEFAULT, "localhost", 443));
        server = new EmbeddedChannel(serverContext.newHandler(ByteBufAllocator.DEFAULT));
        SslHandler clientSsl = client.pipeline().get(SslHandler.class);
        for (int round = 0; round < MAX_HANDSHAKE_ROUNDS && !clientSsl.handshakeFuture().isDone(); round++) {
            shuttle(client, server);
            shuttle(server, client);
        }
        shuttle(client, server);
        assertThat(clientSsl.handshakeFuture().isSuccess()).as("client handshake").isTrue();
        assertThat(clientSsl.engine().getSession().getProtocol()).isEqualTo(protocol);
        drainInbound(server);
        return clientSsl;
    }

    @Test
    void theJdkPutsAtMost16367BytesIntoATls13Record() throws SSLException {
        handshake("TLSv1.3");
        assertThat(plaintextPerWireRecord(List.of(40_000))).startsWith(16_367, 16_367);
    }

    @Test
    void configuredForTheJdkOnTls13EachAlignedWriteIsExactlyOneRecord() throws SSLException {
        SslHandler tls = handshake("TLSv1.3");
        int size = TlsRecordSize.configure(tls);
        assertThat(size).isEqualTo(16_367);
        assertThat(plaintextPerWireRecord(List.of(size, size, size, 100))).containsExactly(size, size, size, 100);
    }

    @Test
    void theJdkFillsATls12RecordToTheTlsMaximumAndTheWrapSizeStays() throws SSLException {
        SslHandler tls = handshake("TLSv1.2");
        assertThat(TlsRecordSize.configure(tls)).isEqualTo(TlsRecordSize.MAX_PLAINTEXT);
        assertThat(plaintextPerWireRecord(List.of(40_000))).startsWith(16_384, 16_384);
    }

    @Test
    void withoutTlsInThePipelineTheTlsMaximumIsUsed() {
        assertThat(TlsRecordSize.configure(null)).isEqualTo(16_384);
    }

    /** Writes one buffer per size, flushes once, and returns the plaintext size of each TLS record on the wire. */
    private List<Integer> plaintextPerWireRecord(List<Integer> writeSizes) {
        for (int size : writeSizes) {
            client.write(Unpooled.wrappedBuffer(new byte[size]));
        }
        client.flush();
        byte[] wire = drainOutbound(client);
        List<Integer> sizes = new ArrayList<>();
        int offset = 0;
        while (offset < wire.length) {
            int length = ((wire[offset + 3] & 0xff) << 8) | (wire[offset + 4] & 0xff);
            int end = offset + TLS_HEADER + length;
            server.writeInbound(Unpooled.wrappedBuffer(wire, offset, end - offset));
            sizes.add(drainInbound(server));
            offset = end;
        }
        return sizes;
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (ByteBuf buf = from.readOutbound(); buf != null; buf = from.readOutbound()) {
            to.writeInbound(buf);
        }
    }

    private static byte[] drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    private static int drainInbound(EmbeddedChannel channel) {
        int bytes = 0;
        for (ByteBuf buf = channel.readInbound(); buf != null; buf = channel.readInbound()) {
            bytes += buf.readableBytes();
            buf.release();
        }
        return bytes;
    }
}
