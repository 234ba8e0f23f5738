// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.HashMap;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mall API over HTTP/1.1 on Netty. Handlers block (JDBC, the transaction manager), so they run
 * on a worker group, not on the network threads. One access-log line per request: mall-facing
 * method, path, status and time (never the body: an auto-fill request holds card data).
 */
public final class MallApiServer implements AutoCloseable {

    private static final Logger ACCESS = LoggerFactory.getLogger("anonpay.gateway.access");
    private static final int READ_TIMEOUT_SECONDS = 30;
    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final MallApi api;
    private final String bind;
    private final int requestedPort;
    private final int workerThreads;
    private EventLoopGroup acceptor;
    private EventLoopGroup io;
    private EventExecutorGroup workers;
    private Channel channel;

    public MallApiServer(MallApi api, String bind, int port, int workerThreads) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
        this.api = api;
        this.bind = bind;
        this.requestedPort = port;
        this.workerThreads = workerThreads;
    }

    public synchronized MallApiServer start() throws InterruptedException {
        acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        workers = new DefaultEventExecutorGroup(workerThreads);
        Handler handler = new Handler(api);
        try {
            channel = new ServerBootstrap().group(acceptor, io).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192))
                                    .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                                    .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast(workers, handler);
                        }
                    }).bind(bind, requestedPort).sync().channel();
            return this;
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    public synchronized int port() {
        if (channel == null) throw new IllegalStateException("not started");
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        channel = null;
        for (EventExecutorGroup group : new EventExecutorGroup[] {acceptor, io, workers}) {
            if (group != null) group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
        }
        acceptor = io = null;
        workers = null;
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MallApi api;

        Handler(MallApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            long start = System.nanoTime();
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            MallResponse response = request.decoderResult().isSuccess() ? answer(request)
                    : MallApi.error(MallApiException.of(MallError.MALFORMED_JSON, null));
            write(ctx, response, keepAlive);
            ACCESS.info("{} {} {} {}ms", request.method().name(), printable(new QueryStringDecoder(request.uri()).rawPath()),
                    response.status(), (System.nanoTime() - start) / 1_000_000);
        }

        private MallResponse answer(FullHttpRequest request) {
            Map<String, String> headers = new HashMap<>();
            for (Map.Entry<String, String> h : request.headers()) headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
            String path;
            try {
                path = new QueryStringDecoder(request.uri()).path();
            } catch (IllegalArgumentException e) {
                return MallApi.error(MallApiException.of(MallError.NOT_FOUND, null));
            }
            return api.handle(new MallRequest(request.method().name(), request.uri(), path, headers, ByteBufUtil.getBytes(request.content())));
        }

        private static void write(ChannelHandlerContext ctx, MallResponse r, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    Unpooled.wrappedBuffer(r.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                    .set(HttpHeaderNames.CACHE_CONTROL, r.headers().getOrDefault("Cache-Control", "no-store"))
                    .set("X-Content-Type-Options", "nosniff")
                    .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            r.headers().forEach((k, v) -> response.headers().set(k, v));
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) future.addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                write(ctx, MallApi.error(MallApiException.of(MallError.BODY_TOO_LARGE, null)), false);
                return;
            }
            ctx.close();
        }

        private static String printable(String s) {
            String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
            return cut.replaceAll("\\p{Cntrl}", "?");
        }
    }

}
