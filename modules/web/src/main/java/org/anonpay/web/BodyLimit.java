// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * Collects a request into one message of at most {@code maxBodyBytes}; a larger one is answered
 * 413 with a JSON error (Netty's own answer has no body) and never reaches a handler. The rest of
 * the oversized body is read and dropped so a keep-alive client still gets to read the answer.
 */
final class BodyLimit extends HttpObjectAggregator {

    BodyLimit(int maxBodyBytes) {
        super(maxBodyBytes);
        assert maxBodyBytes > 0 : "body limit must be positive";
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        long start = System.nanoTime();
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpResponses.write(ctx, ErrorCode.BODY_TOO_LARGE.status(),
                Json.errorBody(List.of(FieldError.of(ErrorCode.BODY_TOO_LARGE, null))), Map.of(), keepAlive);
        HttpResponses.log(request.method().name(), new QueryStringDecoder(request.uri()).rawPath(), ErrorCode.BODY_TOO_LARGE.status(), start);
    }
}
