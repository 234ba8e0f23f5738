// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.web.card.CardApi;
import org.anonpay.web.funding.FundingApi;
import org.anonpay.web.auth.AuthApi;
import org.anonpay.web.mail.Mailer;
import org.anonpay.web.member.MemberApi;
import org.anonpay.web.purchase.PurchaseApi;

/**
 * The wallet web's HTTP server on Netty: HTTP/1.1, JSON API under {@code /api/v1}, and the
 * customer pages (plain HTML/CSS/JS from the classpath folder {@code web/}, see {@link StaticFiles})
 * for GET/HEAD of every other path. Usable without
 * Q2 (tests start it on port 0, a free port); {@link WalletWebService} runs it in the host.
 *
 * <p>Pipeline: HTTP codec, idle timeout, {@link BodyLimit} (aggregates, 413 above the limit),
 * then {@link ApiHandler} on a separate executor group because handlers block on JDBC and Argon2.
 */
public final class WalletWebServer implements AutoCloseable {

    /** Closes connections that send nothing for this long (slow or idle clients hold no thread, but a socket). */
    private static final int READ_TIMEOUT_SECONDS = 30;
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;

    private final Router router;
    private final StaticFiles pages = new StaticFiles();
    private final Mailer mailer;
    /** Top-ups: its recovery thread stops with the server. */
    private final FundingApi funding;
    private final WebSettings settings;
    private final String bind;
    private final int requestedPort;
    private EventLoopGroup acceptor;
    private EventLoopGroup io;
    private EventExecutorGroup workers;
    private Channel channel;
    /** Open client connections, closed first on shutdown (see {@link #close()}). */
    private final ChannelGroup connections = new DefaultChannelGroup("wallet-web", GlobalEventExecutor.INSTANCE);

    /** @param port 0 for any free port (see {@link #port()}) */
    public WalletWebServer(Database database, WebSettings settings, String bind, int port) {
        this(database, settings, bind, port, Clock.system(MemberApi.KOREA));
    }

    /** @param clock the time of sessions, throttling and tokens (tests move it) */
    public WalletWebServer(Database database, WebSettings settings, String bind, int port, Clock clock) {
        this(database, settings, bind, port, clock, null);
    }

    /**
     * @param programs the card programs in force (the Q2 CardProgramService), or null to load
     *                 them once from {@code programs-dir}
     */
    public WalletWebServer(Database database, WebSettings settings, String bind, int port, Clock clock, Supplier<CardPrograms> programs) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
        this.settings = settings;
        this.bind = bind;
        this.requestedPort = port;
        this.mailer = new Mailer(settings.mail(), System.getenv("ANONPAY_SMTP_PASSWORD"));
        AuthApi.Components auth = AuthApi.create(database, settings, clock, mailer, MemberApi.rules(settings, clock));
        this.router = new Router(auth.sessions());
        MemberApi.create(database, settings, clock).addRoutes(router);
        auth.addRoutes(router);
        Supplier<CardPrograms> programsInForce = programs != null ? programs : filePrograms(settings);
        CardApi.create(database, programsInForce, settings.keysDir(), auth.auth(), mailer, clock).addRoutes(router);
        this.funding = FundingApi.create(database, settings, programsInForce, auth.auth(), clock);
        funding.addRoutes(router);
        new PurchaseApi(database, programsInForce, settings.purchaseTtl(), clock).addRoutes(router);
        new org.anonpay.web.member.StatementChannelApi(database).addRoutes(router);
        new org.anonpay.web.member.AnalyticsOptOutApi(database, clock).addRoutes(router);
    }

    /** Loaded now, so a bad program folder stops the start instead of failing the first application. */
    private static Supplier<CardPrograms> filePrograms(WebSettings settings) {
        CardPrograms loaded = CardPrograms.load(settings.programsDir());
        return () -> loaded;
    }

    public synchronized WalletWebServer start() throws InterruptedException {
        if (channel != null) throw new IllegalStateException("already started");
        acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        workers = new DefaultEventExecutorGroup(settings.workerThreads());
        try {
            channel = new ServerBootstrap()
                    .group(acceptor, io)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(initializer())
                    .bind(bind, requestedPort).sync().channel();
            return this;
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private ChannelInitializer<SocketChannel> initializer() {
        ApiHandler handler = new ApiHandler(router, settings.auth().trustForwardedFor(), pages);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                ch.pipeline()
                        .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                        .addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                        .addLast("aggregate", new BodyLimit(settings.maxBodyBytes()))
                        .addLast(workers, "api", handler);
            }
        };
    }

    /** The port actually bound (the free port chosen when constructed with 0). */
    public synchronized int port() {
        if (channel == null) throw new IllegalStateException("not started");
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, closes the open connections, then stops the threads. The order matters: a
     * closing connection's pipeline passes between its network thread and its worker, so both
     * must still run until every connection is closed; the short quiet period lets that finish.
     */
    @Override
    public synchronized void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        channel = null;
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (var group : new EventExecutorGroup[] {acceptor, io, workers}) {
            if (group != null) group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS);
        }
        for (var group : new EventExecutorGroup[] {acceptor, io, workers}) {
            if (group != null) group.terminationFuture().awaitUninterruptibly(6, TimeUnit.SECONDS);
        }
        acceptor = io = null;
        workers = null;
        funding.close();
        mailer.close();
    }
}
