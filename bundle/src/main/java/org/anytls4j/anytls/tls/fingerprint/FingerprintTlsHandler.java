package org.anytls4j.anytls.tls.fingerprint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A client TLS engine on Bouncy Castle's non-blocking protocol API that sends a browser's ClientHello
 * ({@link HelloProfile}); it takes {@code SslHandler}'s place in a carrier pipeline.
 *
 * <p>Contract, as the session layer relies on it:
 * <ul>
 *   <li>{@link #handshakeFuture()} fails with an {@link SSLHandshakeException} when the server is refused (same
 *       message as the JDK engine: the certificate check's), with {@link SslHandshakeTimeoutException} when the
 *       handshake outlives its timeout, and with an {@link SSLHandshakeException} when the channel closes first;
 *       it also fires {@link SslHandshakeCompletionEvent}s.</li>
 *   <li>One write of N plaintext bytes, N up to {@link #plaintextPerRecord()}, leaves as exactly one TLS record, in
 *       the order written; a flush flushes. Writes before the handshake completes wait for it.</li>
 *   <li>Inbound bytes are decrypted and passed on as soon as a record is complete; a close_notify is answered,
 *       fires {@link SslCloseCompletionEvent#SUCCESS} and closes the channel.</li>
 * </ul>
 * Every buffer is released; nothing blocks: Bouncy Castle works on byte arrays in memory here.
 *
 * <p>Not thread-safe: it runs on its channel's event loop.
 */
public final class FingerprintTlsHandler extends ChannelDuplexHandler {
    /** TLS's maximum plaintext per record (RFC 8446 §5.1); bctls neither pads nor splits below it. */
    public static final int MAX_PLAINTEXT = 16_384;
    private static final long CLOSE_NOTIFY_FLUSH_TIMEOUT_MILLIS = 3_000;

    private final ProfiledClientProtocol protocol;
    private final ProfiledTlsClient client;
    private final long handshakeTimeoutMillis;
    private final ArrayDeque<PendingWrite> pendingWrites = new ArrayDeque<>();
    private final ProtocolBuffers buffers;
    private final ServerVerification verification;

    private ChannelHandlerContext ctx;
    private Promise<Channel> handshakePromise = ImmediateEventExecutor.INSTANCE.newPromise();
    private ScheduledFuture<?> handshakeTimeout;
    private boolean started;
    private boolean handshakeCompleted;
    private boolean handshakeSignalled;
    private boolean flushPending;
    private boolean failed;

    FingerprintTlsHandler(JdkAeadTlsCrypto crypto, HelloShape shape, String sniHostName,
                          java.util.List<String> alpn, ServerVerification verification, long handshakeTimeoutMillis) {
        this.verification = verification;
        this.client = new ProfiledTlsClient(crypto, shape, sniHostName, alpn, new ProfiledTlsClient.Listener() {
            @Override
            public void verifyServer(java.util.List<byte[]> derChain, boolean tls13, String keyExchange)
                    throws IOException {
                FingerprintTlsHandler.this.verification.verify(derChain, tls13, keyExchange);
            }

            @Override
            public void handshakeComplete() {
                handshakeCompleted = true;
            }
        });
        this.protocol = new ProfiledClientProtocol(shape);
        this.buffers = new ProtocolBuffers(protocol, MAX_PLAINTEXT);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** Completes when the handshake succeeded or failed (see the class comment for the failures). */
    public Future<Channel> handshakeFuture() {
        return handshakePromise;
    }

    /** Plaintext bytes that go into one record: one write of at most this many bytes is one record. */
    public int plaintextPerRecord() {
        return MAX_PLAINTEXT;
    }

    /** The ALPN protocol the server selected, once the handshake is done; empty if none. */
    public Optional<String> applicationProtocol() {
        SecurityParameters parameters = connectionParameters();
        if (parameters == null || parameters.getApplicationProtocol() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(parameters.getApplicationProtocol().getBytes(), StandardCharsets.UTF_8));
    }

    /** The negotiated protocol in JSSE's spelling ({@code TLSv1.3}), once the handshake is done. */
    public Optional<String> protocolVersion() {
        SecurityParameters parameters = connectionParameters();
        if (parameters == null || parameters.getNegotiatedVersion() == null) {
            return Optional.empty();
        }
        ProtocolVersion version = parameters.getNegotiatedVersion();
        return Optional.of("TLSv1." + (version.getMinorVersion() - 1));
    }

    private SecurityParameters connectionParameters() {
        return handshakeCompleted ? client.connectionParameters() : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.handshakePromise = ctx.executor().newPromise();
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        handshakeTimeout = ctx.executor().schedule(this::handshakeTimedOut, handshakeTimeoutMillis,
                TimeUnit.MILLISECONDS);
        try {
            protocol.connect(client);
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        writeProtocolOutput(ctx.newPromise());
        ctx.flush();
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    private void handshakeTimedOut() {
        if (handshakePromise.isDone()) {
            return;
        }
        SslHandshakeTimeoutException timeout = new SslHandshakeTimeoutException(
                "handshake timed out after " + handshakeTimeoutMillis + "ms");
        signalHandshake(timeout);
        failed = true;
        failPendingWrites(timeout);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (failed) {
                return;
            }
            buffers.offer(in);
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        } finally {
            in.release();
        }
        writeProtocolOutput(ctx.newPromise());
        if (handshakeCompleted && !handshakeSignalled) {
            handshakeSucceeded();
        }
        flushIfWritten();
        deliverApplicationData();
        if (protocol.isClosed() && !failed) {
            closeNotifyReceived();
        }
    }

    private void deliverApplicationData() {
        ByteBuf plain;
        while ((plain = buffers.readApplicationData(ctx.alloc())) != null) {
            ctx.fireChannelRead(plain);
        }
    }

    private void closeNotifyReceived() {
        flushIfWritten();
        ctx.fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!handshakeSignalled && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
            return;
        }
        if (failed) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new SSLException("the TLS connection has failed"));
            return;
        }
        if (!handshakeSignalled) {
            pendingWrites.add(new PendingWrite((ByteBuf) msg, promise));
            return;
        }
        encrypt((ByteBuf) msg, promise);
    }

    /** Encrypts all of {@code plain} (released here): bctls makes one record per {@link #MAX_PLAINTEXT} bytes. */
    private void encrypt(ByteBuf plain, ChannelPromise promise) {
        try {
            buffers.writeApplicationData(plain);
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            fail(e);
            return;
        } finally {
            plain.release();
        }
        if (!writeProtocolOutput(promise)) {
            ctx.write(io.netty.buffer.Unpooled.EMPTY_BUFFER, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!handshakeSignalled && !failed) {
            flushPending = true;
            return;
        }
        ctx.flush();
    }

    /** Writes what bctls has produced (records of handshake messages, data, alerts); false if there was nothing. */
    private boolean writeProtocolOutput(ChannelPromise promise) {
        ByteBuf records = buffers.readOutput(ctx.alloc());
        if (records == null) {
            return false;
        }
        ctx.write(records, promise);
        flushPending = true;
        return true;
    }

    private void flushIfWritten() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    private void handshakeSucceeded() {
        cancelHandshakeTimeout();
        handshakeSignalled = true;
        PendingWrite write;
        while ((write = pendingWrites.poll()) != null) {
            encrypt(write.data, write.promise);
            if (failed) {
                return;
            }
        }
        flushIfWritten();
        handshakePromise.trySuccess(ctx.channel());
        ctx.fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    }

    private void signalHandshake(SSLException failure) {
        cancelHandshakeTimeout();
        handshakeSignalled = true;
        if (handshakePromise.tryFailure(failure)) {
            ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(failure));
        }
    }

    /** Sends the alert bctls prepared, reports the failure and closes the channel. */
    private void fail(Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        SSLException failure = verification.describe(cause, !handshakeSignalled);
        failPendingWrites(failure);
        boolean wasHandshaking = !handshakeSignalled;
        if (wasHandshaking) {
            signalHandshake(failure);
        }
        if (writeProtocolOutput(ctx.newPromise())) {
            ctx.flush();
        }
        if (!wasHandshaking) {
            ctx.fireExceptionCaught(failure);
        }
        ctx.close();
    }

    private void failPendingWrites(Throwable cause) {
        PendingWrite write;
        while ((write = pendingWrites.poll()) != null) {
            write.data.release();
            write.promise.tryFailure(cause);
        }
    }

    private void cancelHandshakeTimeout() {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
            handshakeTimeout = null;
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!handshakeSignalled || failed || protocol.isClosed()) {
            ctx.close(promise);
            return;
        }
        try {
            protocol.close();
        } catch (IOException | RuntimeException e) {
            ctx.close(promise);
            return;
        }
        if (!writeProtocolOutput(ctx.newPromise())) {
            ctx.close(promise);
            return;
        }
        // Give the close_notify a bounded chance to leave, as SslHandler does, then close regardless.
        ScheduledFuture<?> forced = ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_NOTIFY_FLUSH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        flushPending = false;
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) done -> {
            forced.cancel(false);
            ctx.close(promise);
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelHandshakeTimeout();
        if (!handshakeSignalled) {
            signalHandshake(new SSLHandshakeException(
                    "Connection closed while SSL/TLS handshake was in progress"));
        }
        failPendingWrites(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHandshakeTimeout();
        failPendingWrites(new ClosedChannelException());
        if (!handshakePromise.isDone()) {
            handshakePromise.tryFailure(new SSLHandshakeException("the TLS handler was removed"));
        }
    }

    private static final class PendingWrite {
        final ByteBuf data;
        final ChannelPromise promise;

        PendingWrite(ByteBuf data, ChannelPromise promise) {
            this.data = data;
            this.promise = promise;
        }
    }
}
