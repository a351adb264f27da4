package org.anytls4j.host.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.anytls4j.transport.api.OpenRequest;

/**
 * Serves a decoded HTTP CONNECT: checks {@code Proxy-Authorization: Basic} when users are configured (407 when it
 * is missing or wrong), then hands over to a {@link TcpTunnel}.
 */
final class HttpConnectHandler extends SimpleChannelInboundHandler<HttpConnectRequest> {
    private static final System.Logger LOG = System.getLogger(HttpConnectHandler.class.getName());
    private static final String BASIC = "basic ";

    private final ProxyOptions options;

    HttpConnectHandler(ProxyOptions options) {
        this.options = options;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpConnectRequest request) {
        HandshakeDeadline.met(ctx.pipeline());
        String user = null;
        if (options.users().required()) {
            Optional<String> accepted = request.proxyAuthorization().flatMap(this::authenticate);
            if (accepted.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, () -> "HTTP proxy authentication "
                        + (request.proxyAuthorization().isPresent() ? "failed" : "missing") + " from "
                        + ctx.channel().remoteAddress());
                HttpReplies.reject(ctx.channel(), HttpStatus.PROXY_AUTHENTICATION_REQUIRED,
                        "Proxy-Authenticate: Basic realm=\"" + options.name() + "\", charset=\"UTF-8\"\r\n");
                return;
            }
            user = accepted.get();
        }
        OpenRequest open = OpenRequest.tcp(request.destination())
                .openTimeout(options.openTimeout())
                .context(options.requestContext("http", (InetSocketAddress) ctx.channel().remoteAddress(), user))
                .build();
        ctx.pipeline().replace(this, "tunnel", new TcpTunnel(options, open, HttpReplies.INSTANCE));
    }

    /** The user of a {@code Basic} credential (RFC 7617), if it names a configured user and password. */
    private Optional<String> authenticate(String authorization) {
        if (authorization.length() <= BASIC.length()
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return options.users().authenticate(credentials.substring(0, colon), credentials.substring(colon + 1));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof HttpProxyException) {
            HttpProxyException rejected = (HttpProxyException) problem;
            LOG.log(System.Logger.Level.DEBUG, () -> "rejecting HTTP request from " + ctx.channel().remoteAddress()
                    + " with " + rejected.status().code() + ": " + rejected.getMessage());
            HttpReplies.reject(ctx.channel(), rejected.status(), "");
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "HTTP handshake with " + ctx.channel().remoteAddress()
                    + " failed: " + problem);
            ctx.close();
        }
    }
}
