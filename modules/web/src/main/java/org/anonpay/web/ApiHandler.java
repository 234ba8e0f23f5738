// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one aggregated request through the {@link Router} and answers it. It runs on the worker
 * executor group, not on the network threads, because handlers block (JDBC, Argon2).
 * Stateless, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private final Router router;
    private final boolean trustForwardedFor;
    private final StaticFiles pages;

    ApiHandler(Router router, boolean trustForwardedFor) {
        this(router, trustForwardedFor, new StaticFiles());
    }

    /** @param pages the customer pages, served for GET/HEAD outside {@code /api/} */
    ApiHandler(Router router, boolean trustForwardedFor, StaticFiles pages) {
        this.router = router;
        this.trustForwardedFor = trustForwardedFor;
        this.pages = pages;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        String method = request.method().name();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        if (request.decoderResult().isSuccess() && StaticFiles.handles(method, uri.rawPath())) {
            StaticFiles.Response page;
            try {
                page = pages.serve(method, uri.rawPath(), request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, uri.rawPath(), e);
                page = null;
            }
            if (page != null) {
                writeStatic(ctx, page, keepAlive);
                HttpResponses.log(method, uri.rawPath(), page.status(), start);
                return;
            }
        }
        Outcome outcome = outcome(ctx, request, method, uri);
        HttpResponses.write(ctx, outcome.status, outcome.body, outcome.headers, outcome.cookies, keepAlive);
        HttpResponses.log(method, uri.rawPath(), outcome.status, start);
    }

    /** A page or asset: its bytes as they are, with the headers {@link StaticFiles} chose. */
    private static void writeStatic(ChannelHandlerContext ctx, StaticFiles.Response page, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(page.status()), Unpooled.wrappedBuffer(page.body()));
        page.headers().forEach(response.headers()::set);
        if (!page.headers().containsKey("Content-Length")) response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) future.addListener(ChannelFutureListener.CLOSE);
    }

    private record Outcome(int status, Object body, Map<String, String> headers, List<String> cookies) {
        Outcome(int status, Object body, Map<String, String> headers) {
            this(status, body, headers, List.of());
        }
    }

    private Outcome outcome(ChannelHandlerContext ctx, FullHttpRequest request, String method, QueryStringDecoder uri) {
        try {
            if (!request.decoderResult().isSuccess()) throw ApiException.of(ErrorCode.BAD_REQUEST, null);
            ApiRequest api = new ApiRequest(method, uri.path(), uri.parameters(),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(request.content()),
                    headers(request.headers()), cookies(request.headers()), clientAddress(ctx, request.headers()),
                    ctx.pipeline().get(SslHandler.class) != null);
            ApiResponse response = router.route(api);
            return new Outcome(response.status(), response.body(), response.headers(), response.cookies());
        } catch (ApiException e) {
            return new Outcome(e.status(), Json.errorBody(e.errors()), e.headers());
        } catch (IllegalArgumentException e) {
            // QueryStringDecoder on a broken %-escape: the client's fault, nothing was done
            return error(ErrorCode.BAD_REQUEST);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, uri.path(), e);
            return error(ErrorCode.INTERNAL_ERROR);
        }
    }

    private static Map<String, String> headers(HttpHeaders headers) {
        Map<String, String> map = new HashMap<>();
        for (Map.Entry<String, String> h : headers) map.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        return map;
    }

    /** Cookies of every {@code Cookie} header; a malformed cookie is skipped (it then counts as absent). */
    private static Map<String, String> cookies(HttpHeaders headers) {
        Map<String, String> map = new HashMap<>();
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) map.putIfAbsent(c.name(), c.value());
        }
        return map;
    }

    /**
     * The peer's IP address, or, with {@code trust-forwarded-for}, the last {@code X-Forwarded-For}
     * entry: the one the proxy in front of us appended (earlier entries are the client's to choose).
     */
    private String clientAddress(ChannelHandlerContext ctx, HttpHeaders headers) {
        if (trustForwardedFor) {
            String forwarded = headers.get("X-Forwarded-For");
            if (forwarded != null) {
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].trim();
                if (!last.isEmpty() && last.length() <= 64) return last;
            }
        }
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) return a.getAddress().getHostAddress();
        return "unknown";
    }

    private static Outcome error(ErrorCode code) {
        return new Outcome(code.status(), Json.errorBody(java.util.List.of(FieldError.of(code, null))), Map.of());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // idle or vanished clients are routine; anything else is worth a line
        if (!(cause instanceof ReadTimeoutException) && !(cause instanceof IOException)) {
            LOG.warn("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
