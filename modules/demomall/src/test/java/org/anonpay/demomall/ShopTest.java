// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.anonpay.gateway.signing.WebhookSignature;
import org.junit.jupiter.api.Test;

/** The partner mall's pages and webhook check over real HTTP (no host: the wallet web and the mall API are absent). */
class ShopTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void typedCardIsNormalizedAndNeverShown() {
        Shop.TypedCard card = Shop.TypedCard.of(Map.of("number", "9410 0000 0000 0013", "expiry", "12/30", "cvv2", "639", "pin", "1234"));
        assertEquals("9410000000000013", card.number());
        assertEquals("3012", card.expiryYymm(), "MMYY typed, YYMM sent");
        assertEquals("941000******0013", card.masked());
        assertFalse(card.toString().contains("9410000000000013") || card.toString().contains("639") || card.toString().contains("1234"));
        assertNull(Shop.TypedCard.of(Map.of("number", "9410000000000013", "expiry", "1330", "cvv2", "639", "pin", "1234")), "month 13");
        assertNull(Shop.TypedCard.of(Map.of("number", "941000000000001", "expiry", "1230", "cvv2", "639", "pin", "1234")), "15 digits");
        assertNull(Shop.TypedCard.of(Map.of("number", "9410000000000013", "expiry", "1230", "cvv2", "639")), "no PIN");
    }

    @Test
    void partnerMallShowsItsCatalogueAndKeepsOnlyWebhooksSignedWithItsSecret() throws Exception {
        MallApiClient.Credentials credentials = new MallApiClient.Credentials("ak_" + "0".repeat(24), "sk_" + "s".repeat(96));
        WalletProgram wallet = new WalletProgram("http://127.0.0.1:9", HTTP); // nothing listens: the page still renders
        try (PartnerMall mall = new PartnerMall("DEMOMALL01", "anonpay demo tea house", wallet, new MallApiClient("http://127.0.0.1:9", HTTP, credentials))) {
            mall.start("127.0.0.1", 0);
            String base = "http://127.0.0.1:" + mall.port();
            HttpResponse<String> home = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, home.statusCode());
            assertTrue(home.body().contains("Jeju green tea"));
            assertTrue(home.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self' http://127.0.0.1:9"));
            assertTrue(home.headers().firstValue("Set-Cookie").orElse("").contains("HttpOnly"));

            String event = "{\"id\":\"evt_1\",\"type\":\"payment.approved\",\"data\":{\"paymentId\":\"pay_x\",\"orderId\":\"TEA-1\",\"status\":\"APPROVED\"}}";
            byte[] body = event.getBytes(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis() / 1000;
            assertEquals(400, webhook(base, WebhookSignature.header("wrong".getBytes(StandardCharsets.US_ASCII), now, body), body));
            assertEquals(400, webhook(base, WebhookSignature.header(credentials.key(), now - 3600, body), body), "stale");
            assertEquals(200, webhook(base, WebhookSignature.header(credentials.key(), now, body), body));
            assertEquals(200, webhook(base, WebhookSignature.header(credentials.key(), now, body), body), "a redelivery is accepted");

            String orders = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/orders")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(1, orders.split("class=\"webhook-event\"", -1).length - 1, "kept once");
            assertTrue(orders.contains("evt_1") && orders.contains("TEA-1") && orders.contains("payment.approved"));
        }
    }

    private static int webhook(String base, String signature, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/webhooks")).header(WebhookSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
