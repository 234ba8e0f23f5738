// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import static org.anonpay.demomall.Http.esc;
import static org.anonpay.demomall.Http.won;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small web shop on its own port (its own origin, as a mall elsewhere on the internet would be):
 * catalogue, a cart kept on the server under a session cookie, checkout that freezes the cart into
 * an {@link Order}, and the order's result page. How an order is paid is the subclass's:
 * {@link PartnerMall} (wallet button and auto-fill through the mall API) or {@link NonAffiliatedShop}
 * (card form, ISO 8583 through its VAN).
 *
 * <p>The server is the JDK's {@code com.sun.net.httpserver} on virtual threads rather than Netty:
 * a demo shop stands for a merchant's own server, which knows nothing of anonpay's internals, and
 * each request here makes one blocking call (the mall API over HTTP, or the VAN over ISO 8583),
 * which a virtual thread per request waits on cheaply and a reader follows top to bottom.
 */
abstract class Shop implements AutoCloseable {

    static final Logger LOG = LoggerFactory.getLogger("anonpay.demomall");
    private static final int MAX_SESSIONS = 10_000;
    private static final int MAX_ORDERS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter ORDER_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss");
    static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** A visitor: the cart, and the opaque customer id the mall knows them by (no personal data). */
    record Session(String id, String customerRef, Cart cart) {}

    final String mallId;
    final String name;
    final List<Product> catalogue;
    final WalletProgram wallet;
    private final String orderPrefix;
    private final AtomicInteger orderCounter = new AtomicInteger();
    private final Map<String, Session> sessions = Collections.synchronizedMap(bounded(MAX_SESSIONS));
    private final Map<String, Order> orders = Collections.synchronizedMap(bounded(MAX_ORDERS));
    private HttpServer server;
    private ExecutorService executor;

    Shop(String mallId, String name, String orderPrefix, List<Product> catalogue, WalletProgram wallet) {
        this.mallId = mallId;
        this.name = name;
        this.orderPrefix = orderPrefix;
        this.catalogue = List.copyOf(catalogue);
        this.wallet = wallet;
    }

    Shop start(String bind, int port) throws IOException {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            Http http = new Http(exchange);
            try {
                route(http);
            } catch (Exception e) {
                // the message only: a form (card data) is never part of it
                LOG.warn("{}: {} {} failed: {}", mallId, http.method(), http.path(), e.getClass().getSimpleName());
                try {
                    http.html(500, page("오류 / Error", "<h1>Something went wrong</h1><p><a href=\"/\">Back to the shop</a></p>", false));
                } catch (IOException | RuntimeException ignored) {
                    exchange.close();
                }
            }
        });
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
        if (executor != null) executor.shutdownNow();
    }

    // ------------------------------------------------------------------ routing

    private void route(Http http) throws Exception {
        String path = http.path();
        String method = http.method();
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (get && path.equals("/")) home(http);
        else if (get && path.equals("/cart")) cart(http);
        else if (method.equals("POST") && path.equals("/cart/add")) addToCart(http);
        else if (method.equals("POST") && path.equals("/cart/remove")) removeFromCart(http);
        else if (method.equals("POST") && path.equals("/checkout")) checkout(http);
        else if (get && path.startsWith("/checkout/")) withOrder(http, path.substring("/checkout/".length()), this::checkoutPage);
        else if (get && path.startsWith("/order/")) withOrder(http, path.substring("/order/".length()), this::resultPage);
        else if (get && path.startsWith("/assets/")) asset(http, path.substring("/assets/".length()));
        else if (!more(http)) http.html(404, page("Not found", "<h1>Not found</h1><p><a href=\"/\">Back to the shop</a></p>", false));
    }

    /** The subclass's own routes; false when it has none for this request. */
    abstract boolean more(Http http) throws Exception;

    /** The checkout page of an order still to be paid. */
    abstract String checkoutBody(Order order);

    /** Whether the checkout page loads the wallet program (for its buttons). */
    abstract boolean checkoutUsesWallet();

    /** One line for the page header: what kind of shop this is. */
    abstract String tagline();

    @FunctionalInterface
    interface OrderPage {
        void show(Http http, Order order, Session session) throws Exception;
    }

    private void withOrder(Http http, String orderId, OrderPage page) throws Exception {
        Session session = session(http);
        Order order = orders.get(orderId);
        if (order == null || !order.session.equals(session.id())) {
            http.html(404, page("Not found", "<h1>No such order</h1><p><a href=\"/\">Back to the shop</a></p>", false));
            return;
        }
        page.show(http, order, session);
    }

    // ------------------------------------------------------------------ catalogue and cart

    private void home(Http http) throws IOException {
        Session session = session(http);
        StringBuilder b = new StringBuilder("<h1>상품 / Goods</h1><ul class=\"catalogue\">");
        for (Product p : catalogue) {
            b.append("<li class=\"product\" data-testid=\"product-").append(esc(p.id())).append("\">")
                    .append("<h2>").append(esc(p.nameKo())).append(" <span class=\"en\">").append(esc(p.name())).append("</span></h2>")
                    .append("<p>").append(esc(p.description())).append("</p>")
                    .append("<p class=\"price\">").append(won(p.priceKrw())).append("</p>")
                    .append("<form method=\"post\" action=\"/cart/add\"><input type=\"hidden\" name=\"product\" value=\"").append(esc(p.id())).append("\">")
                    .append("<label>수량 / Qty <input type=\"number\" name=\"quantity\" value=\"1\" min=\"1\" max=\"").append(Cart.MAX_QUANTITY).append("\"></label> ")
                    .append("<button type=\"submit\" id=\"add-").append(esc(p.id())).append("\">장바구니에 담기 / Add to cart</button></form></li>");
        }
        b.append("</ul>");
        http.html(200, page("Catalogue", b.toString(), false, session));
    }

    private void cart(Http http) throws IOException {
        Session session = session(http);
        List<Cart.Line> lines = session.cart().lines();
        StringBuilder b = new StringBuilder("<h1>장바구니 / Cart</h1>");
        if (lines.isEmpty()) {
            b.append("<p id=\"cart-empty\">장바구니가 비어 있습니다. / Your cart is empty. <a href=\"/\">Shop</a></p>");
        } else {
            b.append(linesTable(lines, true));
            b.append("<form method=\"post\" action=\"/checkout\"><button type=\"submit\" id=\"checkout\" class=\"primary\">주문하기 / Checkout</button></form>");
        }
        http.html(200, page("Cart", b.toString(), false, session));
    }

    private void addToCart(Http http) throws IOException {
        Session session = session(http);
        Map<String, String> form = http.form();
        Optional<Product> product = product(form.get("product"));
        int quantity = parseQuantity(form.get("quantity"));
        if (product.isEmpty() || quantity < 1) {
            http.html(400, page("Bad request", "<h1>Unknown product or quantity</h1><p><a href=\"/\">Back</a></p>", false));
            return;
        }
        session.cart().add(product.get(), quantity);
        http.redirect("/cart");
    }

    private void removeFromCart(Http http) throws IOException {
        session(http).cart().remove(http.form().getOrDefault("product", ""));
        http.redirect("/cart");
    }

    /** Freezes the cart into a new order and shows its checkout page. */
    private void checkout(Http http) throws IOException {
        Session session = session(http);
        List<Cart.Line> lines = session.cart().lines();
        if (lines.isEmpty()) {
            http.redirect("/cart");
            return;
        }
        Order order = new Order(newOrderId(), session.id(), session.customerRef(), lines);
        orders.put(order.orderId, order);
        session.cart().clear();
        http.redirect("/checkout/" + order.orderId);
    }

    private void checkoutPage(Http http, Order order, Session session) throws IOException {
        if (order.status() == Order.Status.APPROVED) {
            http.redirect("/order/" + order.orderId);
            return;
        }
        http.html(200, page("Checkout " + order.orderId, checkoutBody(order), checkoutUsesWallet(), session));
    }

    private void resultPage(Http http, Order order, Session session) throws IOException {
        Order.Status status = order.status();
        StringBuilder b = new StringBuilder();
        b.append("<h1>주문 ").append(esc(order.orderId)).append(" / Order</h1>");
        b.append("<section class=\"result result-").append(status.name().toLowerCase()).append("\" id=\"order-result\">");
        b.append("<p class=\"status\" id=\"order-status\" data-status=\"").append(status.name()).append("\">");
        b.append(switch (status) {
            case APPROVED -> "결제가 승인되었습니다 / Payment approved";
            case DECLINED -> "결제가 거절되었습니다 / Payment declined";
            case FAILED -> "결제를 마치지 못했습니다 / The payment could not be completed";
            case PAYING -> "결제 처리 중 / Payment in progress";
            case OPEN -> "결제 전 / Not paid yet";
        }).append("</p>");
        b.append("<dl>");
        dd(b, "결제 수단 / Paid with", switch (String.valueOf(order.method())) {
            case "wallet" -> "anonpay 지갑 / anonpay wallet";
            case "card" -> "카드 (anonpay mall API) / card";
            case "van" -> "카드 (VAN, ISO 8583) / card through the VAN";
            default -> "-";
        }, "order-method");
        if (order.paymentId() != null) dd(b, "결제 번호 / Payment", order.paymentId(), "order-payment-id");
        if (order.approvalCode() != null) dd(b, "승인 번호 / Approval code", order.approvalCode(), "order-approval");
        if (order.maskedCard() != null) dd(b, "카드 / Card", order.maskedCard(), "order-card");
        if (order.reason() != null) dd(b, "사유 / Reason", order.reason(), "order-reason");
        if (order.responseCode() != null) dd(b, "응답 코드 / Response code", order.responseCode(), "order-response-code");
        b.append("</dl></section>");
        b.append(linesTable(order.lines, false));
        if (status == Order.Status.DECLINED || status == Order.Status.FAILED) {
            b.append("<p><a id=\"order-retry\" href=\"/checkout/").append(esc(order.orderId)).append("\">다시 결제 / Try again</a></p>");
        }
        b.append("<p><a href=\"/\" id=\"continue-shopping\">계속 쇼핑하기 / Continue shopping</a></p>");
        http.html(200, page("Order " + order.orderId, b.toString(), false, session));
    }

    private static void dd(StringBuilder b, String label, String value, String id) {
        b.append("<dt>").append(esc(label)).append("</dt><dd id=\"").append(id).append("\">").append(esc(value)).append("</dd>");
    }

    String linesTable(List<Cart.Line> lines, boolean removable) {
        StringBuilder b = new StringBuilder("<table class=\"lines\"><thead><tr><th>상품 / Item</th><th>수량 / Qty</th><th>단가 / Price</th><th>금액 / Amount</th>");
        if (removable) b.append("<th></th>");
        b.append("</tr></thead><tbody>");
        for (Cart.Line l : lines) {
            b.append("<tr><td>").append(esc(l.product().nameKo())).append(" <span class=\"en\">").append(esc(l.product().name())).append("</span></td><td>")
                    .append(l.quantity()).append("</td><td>").append(won(l.product().priceKrw())).append("</td><td>").append(won(l.amount())).append("</td>");
            if (removable) {
                b.append("<td><form method=\"post\" action=\"/cart/remove\"><input type=\"hidden\" name=\"product\" value=\"")
                        .append(esc(l.product().id())).append("\"><button type=\"submit\">삭제 / Remove</button></form></td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody><tfoot><tr><th colspan=\"3\">합계 / Total</th><th id=\"order-total\">").append(won(Cart.total(lines))).append("</th>");
        if (removable) b.append("<th></th>");
        return b.append("</tr></tfoot></table>").toString();
    }

    // ------------------------------------------------------------------ pages and assets

    String page(String title, String body, boolean walletScript) {
        return page(title, body, walletScript, null);
    }

    String page(String title, String body, boolean walletScript, Session session) {
        int inCart = session == null ? 0 : session.cart().lines().stream().mapToInt(Cart.Line::quantity).sum();
        String script = walletScript ? wallet.scriptTag() + "\n<script src=\"/assets/mall.js\" defer></script>" : "";
        return """
                <!doctype html>
                <html lang="ko">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · %s</title>
                <link rel="stylesheet" href="/assets/mall.css">
                %s
                </head>
                <body class="%s">
                <header><a class="brand" href="/">%s</a> <span class="tagline">%s</span>
                <nav><a href="/" id="nav-shop">상품 / Shop</a> <a href="/cart" id="nav-cart">장바구니 / Cart (<span id="cart-count">%d</span>)</a>%s</nav></header>
                <main>
                %s
                </main>
                <footer>DEMO ONLY · %s (%s) · anonpay demo mall — not a real shop, no goods are shipped</footer>
                </body>
                </html>
                """.formatted(esc(title), esc(name), script, cssClass(), esc(name), esc(tagline()), inCart, navExtra(), body, esc(name), esc(mallId));
    }

    String navExtra() {
        return "";
    }

    abstract String cssClass();

    private void asset(Http http, String name) throws IOException {
        String type = name.endsWith(".css") ? "text/css; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
        if (type == null || !name.matches("[a-z-]+\\.(css|js)")) {
            http.text(404, "not found");
            return;
        }
        try (InputStream in = Shop.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                http.text(404, "not found");
                return;
            }
            http.send(200, type, in.readAllBytes());
        }
    }

    /** Every page: scripts from this origin and the wallet web only; forms post to this origin only. */
    void securityHeaders(Http http) {
        String walletOrigin = wallet.origin();
        http.header("Content-Security-Policy", "default-src 'self'; script-src 'self' " + walletOrigin + "; connect-src 'self' " + walletOrigin
                + "; frame-src " + walletOrigin + "; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    }

    // ------------------------------------------------------------------ sessions and orders

    Session session(Http http) {
        securityHeaders(http);
        String id = http.cookie("sid");
        if (id != null) {
            Session s = sessions.get(id);
            if (s != null) return s;
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String newId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        byte[] ref = new byte[5];
        RANDOM.nextBytes(ref);
        Session s = new Session(newId, "cust-" + HexFormat.of().formatHex(ref), new Cart());
        sessions.put(newId, s);
        http.setCookie("sid", newId);
        return s;
    }

    Order order(String orderId) {
        return orderId == null ? null : orders.get(orderId);
    }

    List<Order> orders() {
        synchronized (orders) {
            List<Order> all = new ArrayList<>(orders.values());
            Collections.reverse(all);
            return all;
        }
    }

    /** Unique across restarts: the shop's prefix, the Seoul time to the second and a counter. */
    private String newOrderId() {
        return orderPrefix + "-" + ORDER_TIME.format(LocalDateTime.now(SEOUL)) + "-" + String.format("%03d", orderCounter.incrementAndGet() % 1000)
                + HexFormat.of().formatHex(new byte[] {(byte) RANDOM.nextInt()});
    }

    private Optional<Product> product(String id) {
        return catalogue.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private static int parseQuantity(String s) {
        if (s == null || !s.matches("[0-9]{1,3}")) return -1;
        int q = Integer.parseInt(s);
        return q >= 1 && q <= Cart.MAX_QUANTITY ? q : -1;
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    // ------------------------------------------------------------------ card forms (auto-fill target)

    /**
     * The card form both shops show: number, expiry (MMYY), CVV2 and PIN, each marked with
     * {@code data-anonpay-field} so the wallet program can fill it (auto-fill, c3-c5 / d1-d5), and
     * the auto-fill button. Nothing typed here is kept or logged.
     */
    String cardForm(Order order, String action, String submitLabel) {
        return """
                <form id="payment-form" method="post" action="%s" autocomplete="off" class="card-form">
                  <input type="hidden" name="orderId" value="%s">
                  <label>카드 번호 / Card number <input id="card-number" name="number" data-anonpay-field="number" inputmode="numeric" maxlength="19" required placeholder="9410 0000 0000 0000"></label>
                  <label>유효기간 (MMYY) / Expiry <input id="card-expiry" name="expiry" data-anonpay-field="expiry" inputmode="numeric" maxlength="5" required placeholder="1230"></label>
                  <label>CVV2 <input id="card-cvv2" name="cvv2" data-anonpay-field="cvv2" inputmode="numeric" maxlength="3" required></label>
                  <label>카드 비밀번호 (PIN) / PIN <input id="card-pin" name="pin" type="password" data-anonpay-field="pin" inputmode="numeric" maxlength="4" required></label>
                  <p class="buttons">
                    <button type="button" id="autofill" class="anonpay" data-anonpay-autofill="#payment-form">anonpay 자동 입력 / Auto-fill from my anonpay wallet</button>
                    <button type="submit" id="card-submit" class="primary">%s</button>
                  </p>
                </form>
                """.formatted(action, esc(order.orderId), esc(submitLabel));
    }

    /** Card data as the customer typed it (spaces, dashes or a slash allowed), or null when malformed. */
    record TypedCard(String number, String expiryYymm, String cvv2, String pin) {
        static TypedCard of(Map<String, String> form) {
            String number = digits(form.get("number"));
            String expiry = digits(form.get("expiry"));
            String cvv2 = digits(form.get("cvv2"));
            String pin = digits(form.get("pin"));
            if (number == null || number.length() != 16 || expiry == null || expiry.length() != 4 || cvv2 == null || cvv2.length() != 3
                    || pin == null || pin.length() != 4) {
                return null;
            }
            int month = Integer.parseInt(expiry.substring(0, 2));
            if (month < 1 || month > 12) return null;
            return new TypedCard(number, expiry.substring(2) + expiry.substring(0, 2), cvv2, pin);
        }

        private static String digits(String s) {
            if (s == null) return null;
            String d = s.replaceAll("[\\s/-]", "");
            return d.matches("[0-9]{1,19}") ? d : null;
        }

        String masked() {
            return number.substring(0, 6) + "******" + number.substring(12);
        }

        @Override
        public String toString() {
            return "TypedCard[" + masked() + "]";
        }
    }
}
