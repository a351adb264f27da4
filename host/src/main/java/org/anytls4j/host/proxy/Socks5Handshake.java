package org.anytls4j.host.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.UdpMode;

/**
 * The server side of a SOCKS5 handshake (RFC 1928, and RFC 1929 for username/password): chooses the method,
 * checks the credentials, and hands a CONNECT to a {@link TcpTunnel} and a UDP ASSOCIATE to a
 * {@link Socks5UdpAssociation}. BIND is answered with "command not supported".
 */
final class Socks5Handshake extends SimpleChannelInboundHandler<Socks5Message> {
    private static final System.Logger LOG = System.getLogger(Socks5Handshake.class.getName());
    /** Pipeline name of the decoder of the message expected next; each step replaces it with the next one. */
    static final String DECODER = "socks5-decoder";

    /** RFC 1929: any status but 0 is a failure; 1 is what clients and the issue expect (Netty's FAILURE is 0xFF). */
    private static final Socks5PasswordAuthStatus AUTH_FAILURE = Socks5PasswordAuthStatus.valueOf((byte) 0x01);

    private final ProxyOptions options;
    private String user;

    Socks5Handshake(ProxyOptions options) {
        this.options = options;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Socks5Message msg) {
        if (msg.decoderResult().isFailure()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "malformed SOCKS5 message from " + ctx.channel().remoteAddress()
                    + ": " + msg.decoderResult().cause());
            ctx.close();
        } else if (msg instanceof Socks5InitialRequest) {
            chooseMethod(ctx, (Socks5InitialRequest) msg);
        } else if (msg instanceof Socks5PasswordAuthRequest) {
            authenticate(ctx, (Socks5PasswordAuthRequest) msg);
        } else if (msg instanceof Socks5CommandRequest) {
            command(ctx, (Socks5CommandRequest) msg);
        } else {
            ctx.close();
        }
    }

    private void chooseMethod(ChannelHandlerContext ctx, Socks5InitialRequest greeting) {
        Socks5AuthMethod wanted = options.users().required() ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_AUTH;
        if (!greeting.authMethods().contains(wanted)) {
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace(DECODER, DECODER, wanted == Socks5AuthMethod.PASSWORD
                ? new Socks5PasswordAuthRequestDecoder() : new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(wanted));
    }

    private void authenticate(ChannelHandlerContext ctx, Socks5PasswordAuthRequest credentials) {
        Optional<String> accepted = options.users().authenticate(credentials.username(), credentials.password());
        if (accepted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "SOCKS5 authentication failed for user '"
                    + credentials.username() + "' from " + ctx.channel().remoteAddress());
            ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(AUTH_FAILURE))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        user = accepted.get();
        ctx.pipeline().replace(DECODER, DECODER, new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
    }

    private void command(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        HandshakeDeadline.met(ctx.pipeline());
        Socks5CommandType type = request.type();
        boolean udp = Socks5CommandType.UDP_ASSOCIATE.equals(type);
        if (!udp && !Socks5CommandType.CONNECT.equals(type)) {
            fail(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED);
            return;
        }
        Destination destination;
        try {
            // UDP ASSOCIATE names where the client will send from, often 0.0.0.0:0; CONNECT needs a real port.
            destination = udp ? Destination.ofHostAnyPort(request.dstAddr(), request.dstPort())
                    : Destination.ofHost(request.dstAddr(), request.dstPort());
        } catch (IllegalArgumentException invalid) {
            LOG.log(System.Logger.Level.DEBUG, () -> "bad SOCKS5 destination: " + invalid.getMessage());
            fail(ctx, Socks5CommandStatus.ADDRESS_UNSUPPORTED);
            return;
        }
        InetSocketAddress source = (InetSocketAddress) ctx.channel().remoteAddress();
        OpenRequest.Builder open = udp ? OpenRequest.udp(destination, UdpMode.ASSOCIATION)
                : OpenRequest.tcp(destination);
        OpenRequest openRequest = open.openTimeout(options.openTimeout())
                .context(options.requestContext("socks5", source, user))
                .build();
        ctx.pipeline().replace(this, udp ? "socks5-udp" : "tunnel", udp
                ? new Socks5UdpAssociation(options, openRequest)
                : new TcpTunnel(options, openRequest, Socks5Replies.INSTANCE));
        // Whatever the client sent after its request now reaches the handler that replaced this one.
        ctx.pipeline().remove(DECODER);
    }

    private static void fail(ChannelHandlerContext ctx, Socks5CommandStatus status) {
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "SOCKS5 handshake with " + ctx.channel().remoteAddress()
                + " failed: " + cause);
        ctx.close();
    }
}
