// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import static org.anonpay.demomall.Http.esc;
import static org.anonpay.demomall.Http.won;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.anonpay.iso.ResponseCode;

/**
 * The demo non-affiliated mall (MISSION.md Flow D), "anonpay demo shop": no contract with the
 * operator, no mall API. Its checkout is an ordinary card form (the member may let the wallet
 * program fill it, d1-d5, or type the card), and its server sends the card through its VAN as an
 * ISO 8583 purchase (d6-d9); the issuer reports the transaction to the wallet's history (d12).
 */
final class NonAffiliatedShop extends Shop {

    static final List<Product> CATALOGUE = List.of(
            new Product("notebook", "Notebook", "공책", "A5, 80 pages, dot grid", 3_500),
            new Product("pen", "Ballpoint pen", "볼펜", "0.5 mm, black", 1_500),
            new Product("umbrella", "Umbrella", "우산", "Folding, fits a bag", 18_000),
            new Product("tote-bag", "Tote bag", "에코백", "Cotton canvas", 12_000));

    private final VanTerminal van;

    NonAffiliatedShop(String mallId, String name, WalletProgram wallet, VanTerminal van) {
        super(mallId, name, "SHOP", CATALOGUE, wallet);
        this.van = van;
    }

    @Override
    String tagline() {
        return "일반 쇼핑몰 (비제휴, VAN 결제) / non-affiliated shop, pays through its VAN";
    }

    @Override
    String cssClass() {
        return "shop";
    }

    @Override
    boolean checkoutUsesWallet() {
        return true; // only for the auto-fill button: this shop has no wallet payment
    }

    @Override
    boolean more(Http http) throws Exception {
        if (http.method().equals("POST") && http.path().equals("/pay")) {
            pay(http);
            return true;
        }
        return false;
    }

    @Override
    String checkoutBody(Order order) {
        return """
                <h1>주문서 / Checkout</h1>
                <p>주문 번호 / Order <strong id="checkout-order-id">%s</strong> · 합계 / Total <strong id="checkout-total">%s</strong></p>
                %s
                <section class="pay-option" id="pay-card">
                  <h2>신용·체크·선불카드 결제 / Pay by card</h2>
                  <p class="muted">카드 승인은 VAN을 통해 카드사에 요청됩니다. anonpay 카드라면 지갑에서 자동 입력할 수 있습니다.<br>
                  The card is authorized by its issuer through our VAN. With an anonpay card, your wallet can fill in the form.</p>
                  %s
                </section>
                """.formatted(esc(order.orderId), won(order.total), linesTable(order.lines, false), cardForm(order, "/pay", "결제하기 / Pay"));
    }

    private void pay(Http http) throws IOException {
        Session session = session(http);
        Map<String, String> form = http.form();
        Order order = order(form.get("orderId"));
        if (order == null || !order.session.equals(session.id())) {
            http.html(404, page("Not found", "<h1>No such order</h1>", false, session));
            return;
        }
        TypedCard card = TypedCard.of(form);
        if (card == null) {
            http.html(400, page("Checkout", "<h1>주문서 / Checkout</h1><p class=\"form-error\" id=\"pay-error\">카드 정보를 확인하세요 / Check the card details: "
                    + "16-digit number, expiry MMYY, 3-digit CVV2, 4-digit PIN</p><p><a href=\"/checkout/" + esc(order.orderId) + "\">돌아가기 / Back</a></p>", false, session));
            return;
        }
        if (!order.begin("van")) {
            http.redirect("/order/" + order.orderId);
            return;
        }
        try {
            VanTerminal.Answer answer = van.purchase(card.number(), card.expiryYymm(), card.cvv2(), card.pin(), order.total);
            String meaning = ResponseCode.of(answer.responseCode()).map(ResponseCode::meaning).orElse("unknown response");
            order.finish(answer.approved() ? Order.Status.APPROVED : Order.Status.DECLINED, null, answer.approved() ? null : meaning,
                    answer.responseCode(), answer.approvalCode(), card.masked());
            LOG.info("{}: order {} {} through the VAN (response {})", mallId, order.orderId, answer.approved() ? "approved" : "declined", answer.responseCode());
        } catch (IOException e) {
            order.finish(Order.Status.FAILED, null, "no answer from the card network", null, null, card.masked());
            LOG.warn("{}: order {}: VAN unreachable: {}", mallId, order.orderId, e.getClass().getSimpleName());
        }
        http.redirect("/order/" + order.orderId);
    }
}
