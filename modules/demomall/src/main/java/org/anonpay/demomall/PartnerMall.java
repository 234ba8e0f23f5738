// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import static org.anonpay.demomall.Http.esc;
import static org.anonpay.demomall.Http.won;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.anonpay.gateway.signing.WebhookSignature;

/**
 * The demo partner mall (MISSION.md Flows B and C), "anonpay demo tea house": its checkout page
 * carries the purchase data for the wallet program and the wallet button (b1-b4); the purchase
 * reference the wallet gives the page comes back in the order form, and the mall's server asks the
 * mall API for approval with it (b6) — no card number, name or any personal data of the customer
 * crosses. The same page has a card form the wallet program can auto-fill (c3-c5), whose server
 * side sends the card to the mall API (c6). Payment results also arrive as signed webhooks, shown
 * on the orders page.
 */
final class PartnerMall extends Shop {

    static final List<Product> CATALOGUE = List.of(
            new Product("green-tea", "Jeju green tea", "제주 녹차", "First flush leaves from Jeju, 50 g tin", 12_000),
            new Product("barley-tea", "Roasted barley tea", "보리차", "30 tea bags, caffeine free", 6_000),
            new Product("celadon-mug", "Celadon mug", "청자 머그잔", "Glazed stoneware, 300 ml", 9_000),
            new Product("yuja-tea", "Yuja tea", "유자차", "Citron marmalade tea, 500 g jar", 15_000));
    private static final long WEBHOOK_TOLERANCE_SECONDS = 300;
    private static final int MAX_EVENTS = 200;

    /** A webhook event as received: only what the orders page shows. */
    record WebhookEvent(String id, String type, String orderId, String paymentId, String status, Instant receivedAt) {}

    private final MallApiClient api;
    private final Deque<WebhookEvent> events = new ArrayDeque<>();

    PartnerMall(String mallId, String name, WalletProgram wallet, MallApiClient api) {
        super(mallId, name, "TEA", CATALOGUE, wallet);
        this.api = api;
    }

    @Override
    String tagline() {
        return "anonpay 제휴 쇼핑몰 / partner mall";
    }

    @Override
    String cssClass() {
        return "partner";
    }

    @Override
    String navExtra() {
        return " <a href=\"/orders\" id=\"nav-orders\">주문 관리 / Orders</a>";
    }

    @Override
    boolean checkoutUsesWallet() {
        return true;
    }

    @Override
    boolean more(Http http) throws Exception {
        String path = http.path();
        if (http.method().equals("POST") && path.equals("/pay/wallet")) payByWallet(http);
        else if (http.method().equals("POST") && path.equals("/pay/card")) payByCard(http);
        else if (http.method().equals("POST") && path.equals("/webhooks")) webhook(http);
        else if (http.method().equals("GET") && path.equals("/orders")) ordersPage(http);
        else return false;
        return true;
    }

    @Override
    String checkoutBody(Order order) {
        StringBuilder items = new StringBuilder();
        for (Cart.Line l : order.lines) {
            items.append("\n  <span data-anonpay-item data-name=\"").append(esc(l.product().name())).append("\" data-quantity=\"").append(l.quantity())
                    .append("\" data-unit-price=\"").append(l.product().priceKrw()).append("\"></span>");
        }
        return """
                <h1>주문서 / Checkout</h1>
                <p>주문 번호 / Order <strong id="checkout-order-id">%s</strong> · 합계 / Total <strong id="checkout-total">%s</strong></p>
                %s
                <div id="anonpay-checkout" data-anonpay-mall-id="%s" data-anonpay-customer-ref="%s" data-anonpay-order-id="%s" data-anonpay-total="%d" data-anonpay-currency="KRW">%s
                </div>
                <div class="pay-options">
                <section class="pay-option" id="pay-wallet">
                  <h2>anonpay 지갑으로 결제 / Pay with the anonpay wallet</h2>
                  <p class="muted">회원 ID와 비밀번호로 지갑에 로그인하고 카드를 고르세요. 카드 번호와 개인정보는 이 쇼핑몰에 전달되지 않습니다.<br>
                  Log in to your wallet with your member ID and password and pick a card: this mall never sees your card number or any personal data.</p>
                  <button type="button" id="wallet-pay" class="anonpay" data-anonpay-pay="#anonpay-checkout">anonpay 지갑으로 결제 / Pay with anonpay</button>
                  <form id="order-form" method="post" action="/pay/wallet">
                    <input type="hidden" name="orderId" value="%s">
                    <input type="hidden" name="anonpayPurchaseRef" id="anonpay-purchase-ref" value="">
                    <p id="wallet-ready" class="muted" hidden>지갑에서 확인되었습니다. 주문을 완료하는 중… / Confirmed in the wallet: placing the order…</p>
                    <button type="submit" id="wallet-submit" disabled>주문 완료 / Place order</button>
                  </form>
                </section>
                <section class="pay-option" id="pay-card">
                  <h2>카드로 결제 / Pay by card</h2>
                  <p class="muted">anonpay 지갑이 카드 정보를 자동으로 입력할 수 있습니다. / Your anonpay wallet can fill in the card details for you.</p>
                  %s
                </section>
                </div>
                """.formatted(esc(order.orderId), won(order.total), linesTable(order.lines, false), esc(mallId), esc(order.customerRef), esc(order.orderId),
                order.total, items, esc(order.orderId), cardForm(order, "/pay/card", "카드로 결제 / Pay by card"));
    }

    // ------------------------------------------------------------------ b6: the wallet payment

    private void payByWallet(Http http) throws Exception {
        Session session = session(http);
        Map<String, String> form = http.form();
        Order order = ownOrder(session, form.get("orderId"));
        String purchaseRef = form.getOrDefault("anonpayPurchaseRef", "");
        if (order == null) {
            http.html(404, page("Not found", "<h1>No such order</h1>", false, session));
            return;
        }
        if (!purchaseRef.matches("pur_[a-z2-7]{26}")) {
            badRequest(http, session, order, "지갑 결제 확인이 없습니다 / The wallet did not confirm this purchase");
            return;
        }
        if (!order.begin("wallet")) {
            http.redirect("/order/" + order.orderId);
            return;
        }
        ObjectNode body = common(order);
        body.put("purchaseRef", purchaseRef);
        decide(order, body);
        http.redirect("/order/" + order.orderId);
    }

    // ------------------------------------------------------------------ c6: the auto-filled card

    private void payByCard(Http http) throws Exception {
        Session session = session(http);
        Map<String, String> form = http.form();
        Order order = ownOrder(session, form.get("orderId"));
        if (order == null) {
            http.html(404, page("Not found", "<h1>No such order</h1>", false, session));
            return;
        }
        TypedCard card = TypedCard.of(form);
        if (card == null) {
            badRequest(http, session, order, "카드 정보를 확인하세요: 번호 16자리, 유효기간 MMYY, CVV2 3자리, 비밀번호 4자리 / "
                    + "Check the card: 16-digit number, expiry MMYY, 3-digit CVV2, 4-digit PIN");
            return;
        }
        if (!order.begin("card")) {
            http.redirect("/order/" + order.orderId);
            return;
        }
        ObjectNode body = common(order);
        ObjectNode c = body.putObject("card");
        c.put("number", card.number());
        c.put("expiry", card.expiryYymm());
        c.put("cvv2", card.cvv2());
        c.put("pin", card.pin());
        decide(order, body);
        http.redirect("/order/" + order.orderId);
    }

    private void badRequest(Http http, Session session, Order order, String message) throws IOException {
        http.html(400, page("Checkout", "<h1>주문서 / Checkout</h1><p class=\"form-error\" id=\"pay-error\">" + esc(message)
                + "</p><p><a href=\"/checkout/" + esc(order.orderId) + "\">돌아가기 / Back</a></p>", false, session));
    }

    /** mallId, orderId, customerRef, goods, total, currency: what both payment kinds carry. */
    private ObjectNode common(Order order) {
        ObjectNode body = MallApiClient.JSON.createObjectNode();
        body.put("mallId", mallId);
        body.put("orderId", order.orderId);
        body.put("customerRef", order.customerRef);
        ArrayNode goods = body.putArray("goods");
        for (Cart.Line l : order.lines) {
            goods.addObject().put("name", l.product().name()).put("quantity", l.quantity()).put("unitPrice", l.product().priceKrw());
        }
        body.put("total", order.total);
        body.put("currency", "KRW");
        return body;
    }

    /** Asks the mall API and records its decision on the order (b9-b10: the mall shows it). */
    private void decide(Order order, ObjectNode body) throws InterruptedException {
        // one key per attempt of the order: a retry of the same attempt is answered from the API's record
        String key = order.orderId + "-" + order.method() + "-" + order.attempts();
        try {
            MallApiClient.Answer answer = api.createPayment(body, key);
            if (answer.status() == 201 || answer.status() == 200) {
                String status = answer.text("status");
                boolean approved = "APPROVED".equals(status) || "CAPTURED".equals(status) || "AUTHORIZED".equals(status);
                order.finish(approved ? Order.Status.APPROVED : Order.Status.DECLINED, answer.text("paymentId"),
                        approved ? null : answer.text("declineReason"), answer.text("responseCode"), answer.text("approvalCode"), answer.text("maskedCard"));
                LOG.info("{}: order {} {} by {} ({})", mallId, order.orderId, approved ? "approved" : "declined", order.method(),
                        approved ? answer.text("paymentId") : answer.text("declineReason"));
            } else {
                String code = answer.errorCode();
                order.finish(Order.Status.FAILED, null, code == null ? "HTTP " + answer.status() : code, null, null, null);
                LOG.warn("{}: order {}: mall API answered {} {}", mallId, order.orderId, answer.status(), code);
            }
        } catch (IOException e) {
            order.finish(Order.Status.FAILED, null, "MALL_API_UNREACHABLE", null, null, null);
            LOG.warn("{}: order {}: mall API unreachable: {}", mallId, order.orderId, e.getClass().getSimpleName());
        }
    }

    private Order ownOrder(Session session, String orderId) {
        Order order = order(orderId);
        return order != null && order.session.equals(session.id()) ? order : null;
    }

    // ------------------------------------------------------------------ webhooks

    private void webhook(Http http) throws IOException {
        byte[] body = http.body();
        String signature = http.header(WebhookSignature.HEADER);
        long now = System.currentTimeMillis() / 1000;
        if (!WebhookSignature.verify(api.credentials().key(), signature, body, now, WEBHOOK_TOLERANCE_SECONDS)) {
            LOG.warn("{}: webhook refused: bad or stale signature", mallId);
            http.text(400, "bad signature");
            return;
        }
        JsonNode event;
        try {
            event = MallApiClient.JSON.readTree(body);
        } catch (IOException e) {
            http.text(400, "not JSON");
            return;
        }
        String id = text(event, "id");
        JsonNode payment = withField(event, "orderId");
        WebhookEvent received = new WebhookEvent(id, text(event, "type"), payment == null ? null : text(payment, "orderId"),
                payment == null ? null : text(payment, "paymentId"), payment == null ? null : text(payment, "status"), Instant.now());
        synchronized (events) {
            boolean seen = id != null && events.stream().anyMatch(e -> id.equals(e.id()));
            if (!seen) {
                events.addFirst(received);
                while (events.size() > MAX_EVENTS) events.removeLast();
            }
        }
        LOG.info("{}: webhook {} {} for order {}", mallId, received.type(), received.status(), received.orderId());
        http.text(200, "ok");
    }

    private List<WebhookEvent> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.path(field);
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** The first object in the event (depth first) that has {@code field}: the payment, wherever the event puts it. */
    private static JsonNode withField(JsonNode node, String field) {
        if (node.isObject() && node.path(field).isValueNode()) return node;
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                JsonNode found = withField(child, field);
                if (found != null) return found;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ the merchant's orders page

    private void ordersPage(Http http) throws IOException {
        Session session = session(http);
        StringBuilder b = new StringBuilder("<h1>주문 관리 / Orders</h1><p class=\"muted\">DEMO: the mall's back office, shown to everyone.</p>");
        b.append("<table class=\"lines\" id=\"orders\"><thead><tr><th>주문 / Order</th><th>상품 / Goods</th><th>합계 / Total</th><th>결제 / Payment</th><th>상태 / Status</th></tr></thead><tbody>");
        for (Order o : orders()) {
            b.append("<tr data-order-id=\"").append(esc(o.orderId)).append("\"><td>").append(esc(o.orderId)).append("</td><td>").append(esc(o.goodsSummary()))
                    .append("</td><td>").append(won(o.total)).append("</td><td>").append(esc(o.paymentId() == null ? "-" : o.paymentId()))
                    .append("</td><td data-status=\"").append(o.status()).append("\">").append(o.status())
                    .append(o.reason() == null ? "" : " (" + esc(o.reason()) + ")").append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>웹훅 / Webhook events</h2><table class=\"lines\" id=\"webhook-events\"><thead><tr><th>받은 시각 / Received</th><th>이벤트 / Event</th><th>종류 / Type</th><th>주문 / Order</th><th>결제 / Payment</th><th>상태 / Status</th></tr></thead><tbody>");
        List<WebhookEvent> received = events();
        if (received.isEmpty()) b.append("<tr><td colspan=\"6\" class=\"muted\">아직 없음 / none yet</td></tr>");
        for (WebhookEvent e : received) {
            b.append("<tr class=\"webhook-event\" data-order-id=\"").append(esc(e.orderId())).append("\"><td>")
                    .append(SHOWN_TIME.format(LocalDateTime.ofInstant(e.receivedAt(), SEOUL))).append("</td><td>").append(esc(e.id())).append("</td><td>")
                    .append(esc(e.type())).append("</td><td>").append(esc(e.orderId())).append("</td><td>").append(esc(e.paymentId()))
                    .append("</td><td>").append(esc(e.status())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        http.html(200, page("Orders", b.toString(), false, session));
    }
}
