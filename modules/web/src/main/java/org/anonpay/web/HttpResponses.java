// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing JSON responses, and the access log: one line per request. */
final class HttpResponses {

    private static final Logger ACCESS = LoggerFactory.getLogger("anonpay.web.access");
    private static final int LOGGED_PATH_MAX = 120;

    private HttpResponses() {}

    /** Writes {@code body} as JSON; closes the connection afterwards unless {@code keepAlive}. */
    static void write(ChannelHandlerContext ctx, int status, Object body, Map<String, String> headers, boolean keepAlive) {
        write(ctx, status, body, headers, java.util.List.of(), keepAlive);
    }

    /** Like {@link #write(ChannelHandlerContext, int, Object, Map, boolean)}, with one {@code Set-Cookie} per cookie. */
    static void write(ChannelHandlerContext ctx, int status, Object body, Map<String, String> headers, java.util.List<String> cookies, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(Json.bytes(body)));
        var h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        // answers name members and say which IDs exist: no cache may keep them
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        headers.forEach(h::set);
        for (String cookie : cookies) h.add(HttpHeaderNames.SET_COOKIE, cookie);
        h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) future.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * One access-log line. Only method, path, status and time: the query string and the body may
     * hold member data, and they are never logged.
     */
    static void log(String method, String path, int status, long startNanos) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        ACCESS.info("{} {} {} {}ms", printable(method), printable(path), status, millis);
    }

    /** Unknown paths come from the client: cut them short and drop control characters (log injection). */
    private static String printable(String s) {
        if (s == null) return "-";
        String cut = s.length() > LOGGED_PATH_MAX ? s.substring(0, LOGGED_PATH_MAX) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
