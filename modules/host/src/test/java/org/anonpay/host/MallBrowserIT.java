// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.anonpay.host.Browsers.settled;
import static org.anonpay.host.Browsers.shot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.anonpay.iso.PinBlocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4, "Must show": the demo malls of deploy/80_demo_malls.xml in a real browser (Playwright
 * driving Debian's chromium) against the packaged host, each mall on its own port (another origin
 * than the wallet web).
 * <ul>
 *   <li>Flow B: a new member registers on the wallet web, applies for a card, adds a bank account
 *       and tops up; in another browser profile shops at the partner mall, presses the wallet
 *       button, logs in in the wallet's pop-up, picks the card, confirms; the mall shows the
 *       approved payment; the wallet's history shows it with the mall's name and the goods.</li>
 *   <li>Flow C: at the partner mall, the auto-fill button; in the pop-up the card, the password
 *       again and the PIN twice, "fill"; the mall's card form is filled, submitted, approved
 *       (through the mall API's card payment).</li>
 *   <li>Flow D: at the non-affiliated shop, auto-fill again; the shop's server sends the card as
 *       an ISO 8583 purchase through its VAN; approved; the wallet's history has it within a
 *       second. Then a card typed by hand with a wrong CVV2: declined, and the shop says why.</li>
 * </ul>
 * Screenshots go to target/screenshots, named mall-B-…, mall-C-…, mall-D-….
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MallBrowserIT {

    private static final String PARTNER_NAME = "anonpay demo tea house";
    private static final String SHOP_NAME = "anonpay demo shop";
    private static final String PIN = "4821";
    private static final long TOP_UP = 100_000;

    private static GreenMail mail;
    private static HostFixture fixture;
    private static Browsers browsers;
    private static String wallet;
    private static String partner;
    private static String shop;

    /** The member of Flow B, whose card pays in Flows C and D too. */
    private static String memberId;
    private static String password;
    private static String cardId;
    /** The member's own browser: logged in to the wallet web. */
    private static BrowserContext home;
    private static Page walletPage;
    /** The browser the member shops in: a separate profile, so the wallet pop-up asks to log in. */
    private static BrowserContext shopper;
    private static final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        fixture = HostFixture.startWithMailTo("malls", mail.getSmtp().getPort());
        HostProcess host = fixture.host;
        wallet = "http://127.0.0.1:" + host.webPort();
        partner = "http://127.0.0.1:" + host.partnerMallPort();
        shop = "http://127.0.0.1:" + host.demoShopPort();
        try (Stream<String> lines = Files.lines(host.output())) {
            List<String> all = lines.toList();
            assertTrue(all.stream().anyMatch(l -> l.contains("demo partner mall at " + partner + "/")), "the host names the partner mall's address");
            assertTrue(all.stream().anyMatch(l -> l.contains("demo shop (non-affiliated) at " + shop + "/")), "the host names the shop's address");
        }
        browsers = Browsers.launch();
        home = context();
        shopper = context();
    }

    private static BrowserContext context() {
        BrowserContext context = browsers.browser.newContext(new Browser.NewContextOptions().setLocale("ko-KR").setViewportSize(1100, 900));
        context.setDefaultTimeout(15_000);
        context.onPage(MallBrowserIT::watch);
        return context;
    }

    /** Script errors and CSP violations of every page, the wallet's pop-up included. */
    private static void watch(Page page) {
        page.onPageError(e -> problems.add(page.url() + ": page error: " + e));
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) problems.add(page.url() + ": console: " + m.text());
        });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browsers != null) browsers.close();
        } finally {
            try {
                if (fixture != null) fixture.close();
            } finally {
                if (mail != null) mail.stop();
            }
        }
    }

    @Test
    @Order(1)
    void flowB_walletPaymentAtThePartnerMall() {
        // --- the member: register, log in, apply for a card, a bank account, a top-up
        walletPage = home.newPage();
        String suffix = String.format("%06d", System.nanoTime() % 1_000_000L);
        memberId = "mall" + suffix;
        password = "Shopper" + suffix.substring(0, 2) + "x";
        walletPage.navigate(wallet + "/register");
        walletPage.fill("#reg-name", "김쇼핑");
        walletPage.fill("#reg-nameLatin", "KIM SHOPPING");
        walletPage.fill("#reg-nationalId", Browsers.rrn("920304-2", "12345"));
        walletPage.fill("#reg-birthDate", "1992-03-04");
        walletPage.check("#reg-birthCalendar-solar");
        walletPage.fill("#reg-memberId", memberId);
        assertThat(walletPage.locator("#reg-memberId-status")).hasAttribute("data-available", "true");
        walletPage.fill("#reg-password", password);
        walletPage.fill("#reg-passwordConfirm", password);
        walletPage.selectOption("#reg-securityQuestionId", "1");
        walletPage.fill("#reg-securityAnswer", "어린 왕자");
        walletPage.fill("#reg-nickname", "몰손님" + suffix.substring(0, 4));
        assertThat(walletPage.locator("#reg-nickname-status")).hasAttribute("data-available", "true");
        walletPage.fill("#reg-email", memberId + "@example.com");
        walletPage.fill("#reg-mobile", "010-2345-6789");
        walletPage.check("#reg-statementChannel-email");
        shot(walletPage, "mall-B-01-register");
        walletPage.click("#register-submit");
        walletPage.waitForURL("**/login?registered=1");
        walletPage.fill("#login-password", password);
        walletPage.click("#login-submit");
        walletPage.waitForURL("**/wallet");

        walletPage.click("#wallet-apply-first");
        walletPage.waitForURL("**/cards/new");
        walletPage.fill("#apply-cardName", "쇼핑 카드");
        walletPage.fill("#apply-pin", PIN);
        walletPage.fill("#apply-pinConfirm", PIN);
        walletPage.check("#apply-email-no");
        walletPage.check("#apply-physical-no");
        walletPage.click("#apply-submit");
        settled(walletPage, "#apply-result");
        shot(walletPage, "mall-B-02-card-issued");
        walletPage.click("#apply-to-wallet");
        walletPage.waitForURL("**/wallet");
        cardId = walletPage.locator("article.wallet-card").first().getAttribute("data-testid").substring("card-".length());

        walletPage.click("#nav-funding");
        walletPage.waitForURL("**/funding");
        walletPage.selectOption("#bank-code", "004");
        walletPage.fill("#bank-account", "110-987-654321");
        walletPage.fill("#bank-holder", "김쇼핑");
        walletPage.click("#bank-submit");
        settled(walletPage, "#funding-notice");
        String accountId = walletPage.locator("[data-testid=funding-source][data-kind=BANK_ACCOUNT]").getAttribute("id").substring("funding-source-".length());
        walletPage.navigate(wallet + "/topup?card=" + cardId);
        walletPage.selectOption("#topup-source", accountId);
        walletPage.fill("#topup-amount", Long.toString(TOP_UP));
        walletPage.click("#topup-submit");
        settled(walletPage, "#topup-notice");
        shot(walletPage, "mall-B-03-topped-up");
        walletPage.navigate(wallet + "/wallet");
        assertThat(walletPage.getByTestId("card-balance-" + cardId)).hasText("₩100,000");

        // --- the partner mall, on its own origin, in the browser the member shops with
        Page mall = shopper.newPage();
        mall.navigate(partner + "/");
        assertThat(mall.locator(".brand")).hasText(PARTNER_NAME);
        shot(mall, "mall-B-04-partner-catalogue");
        mall.click("#add-green-tea");
        mall.waitForURL("**/cart");
        mall.navigate(partner + "/");
        mall.fill("[data-testid=product-celadon-mug] input[name=quantity]", "2");
        mall.click("#add-celadon-mug");
        mall.waitForURL("**/cart");
        assertThat(mall.locator("#order-total")).hasText("₩30,000");
        shot(mall, "mall-B-05-cart");
        mall.click("#checkout");
        mall.waitForURL("**/checkout/**");
        Locator checkout = mall.locator("#anonpay-checkout");
        assertThat(checkout).hasAttribute("data-anonpay-mall-id", "DEMOMALL01");
        assertThat(checkout).hasAttribute("data-anonpay-total", "30000");
        assertThat(mall.locator("script[src$='/wallet-program/v1/anonpay.js']")).hasAttribute("integrity", Pattern.compile("sha384-.+"));
        mall.waitForFunction("() => !!window.AnonpayWalletProgram");
        String orderId = mall.locator("#checkout-order-id").textContent();
        shot(mall, "mall-B-06-checkout");

        // --- the wallet button: the wallet's pop-up, log in, the card, confirm
        Page popup = mall.waitForPopup(() -> mall.click("#wallet-pay"));
        assertTrue(popup.url().startsWith(wallet + "/pay"), popup.url());
        assertThat(popup.locator("#pay-mall")).containsText(PARTNER_NAME);
        assertThat(popup.locator("#pay-order")).hasText(orderId);
        assertThat(popup.locator("#pay-login-form")).isVisible();
        popup.fill("#pay-login", memberId);
        popup.fill("#pay-password", password);
        shot(popup, "mall-B-07-popup-login");
        popup.click("#pay-login-submit");
        assertThat(popup.locator("#pay-card-" + cardId)).isVisible();
        popup.check("#pay-card-" + cardId);
        shot(popup, "mall-B-08-popup-card");
        popup.waitForClose(() -> popup.click("#pay-confirm")); // the pop-up closes itself once the mall's page has the purchase

        // --- the mall asked the mall API (b6) and shows the result (b10)
        mall.waitForURL("**/order/" + orderId);
        assertThat(mall.locator("#order-status")).hasAttribute("data-status", "APPROVED");
        assertThat(mall.locator("#order-payment-id")).hasText(Pattern.compile("pay_[a-z2-7]{26}"));
        assertThat(mall.locator("#order-method")).containsText("wallet");
        assertFalse(mall.content().matches("(?s).*(?<!\\d)94[12]\\d{13}(?!\\d).*"), "no card number reaches the partner mall");
        shot(mall, "mall-B-09-mall-approved");

        // --- the wallet's history: the payment with the mall's name and the goods
        walletPage.navigate(wallet + "/wallet");
        Locator history = walletPage.getByTestId("card-history-" + cardId);
        assertThat(history.locator("li").first()).containsText(PARTNER_NAME);
        assertThat(history.locator("li").first()).containsText("Jeju green tea");
        assertThat(history.locator("li").first()).containsText("Celadon mug");
        assertThat(walletPage.getByTestId("card-balance-" + cardId)).hasText("₩70,000");
        shot(walletPage, "mall-B-10-wallet-history");

        // --- the mall's orders page: the signed webhook of the payment arrived
        mall.navigate(partner + "/orders");
        assertThat(mall.locator("#orders tr[data-order-id='" + orderId + "'] td[data-status]")).hasAttribute("data-status", "APPROVED");
        Locator webhook = mall.locator(".webhook-event[data-order-id='" + orderId + "']");
        for (int i = 0; i < 40 && webhook.count() == 0; i++) { // delivered every few seconds (deploy/75 webhook-seconds)
            mall.waitForTimeout(500);
            mall.reload();
        }
        assertThat(webhook.first()).isVisible();
        shot(mall, "mall-B-11-mall-orders-webhook");
        mall.close();
        assertEquals(List.of(), problems, "no script errors or CSP violations");
    }

    @Test
    @Order(2)
    void flowC_autoFilledCardAtThePartnerMall() {
        Page mall = shopper.newPage();
        String orderId = order(mall, partner, "yuja-tea", "C");
        fillFromWallet(mall, "C");
        shot(mall, "mall-C-04-form-filled");
        mall.click("#card-submit");
        mall.waitForURL("**/order/" + orderId);
        assertThat(mall.locator("#order-status")).hasAttribute("data-status", "APPROVED");
        assertThat(mall.locator("#order-method")).containsText("card");
        shot(mall, "mall-C-05-mall-approved");
        walletPage.navigate(wallet + "/wallet");
        assertThat(walletPage.getByTestId("card-history-" + cardId).locator("li").first()).containsText(PARTNER_NAME);
        assertThat(walletPage.getByTestId("card-balance-" + cardId)).hasText("₩55,000");
        shot(walletPage, "mall-C-06-wallet-history");
        mall.close();
        assertEquals(List.of(), problems, "no script errors or CSP violations");
    }

    @Test
    @Order(3)
    void flowD_nonAffiliatedShopThroughItsVan() {
        Page page = shopper.newPage();
        String orderId = order(page, shop, "umbrella", "D");
        assertThat(page.locator("#anonpay-checkout")).hasCount(0); // no wallet payment at a non-affiliated shop
        fillFromWallet(page, "D");
        shot(page, "mall-D-04-form-filled");
        page.click("#card-submit");
        page.waitForURL("**/order/" + orderId);
        assertThat(page.locator("#order-status")).hasAttribute("data-status", "APPROVED");
        long approvedAt = System.nanoTime();
        assertThat(page.locator("#order-method")).containsText("VAN");
        assertThat(page.locator("#order-response-code")).hasText("00");
        shot(page, "mall-D-05-shop-approved");

        // d12: the issuer's transaction is in the wallet's history within a second
        Object found = walletPage.waitForFunction("""
                async ([card, name]) => {
                  const r = await fetch('/api/v1/cards/' + card + '/history?limit=5', { credentials: 'same-origin' });
                  const h = await r.json();
                  return (h.transactions || []).some(t => (t.mallName || t.merchant || '').includes(name) && t.approved !== false && Number(t.amount) === 18000);
                }""", List.of(cardId, SHOP_NAME), new Page.WaitForFunctionOptions().setPollingInterval(100).setTimeout(5_000)).jsonValue();
        long elapsedMs = (System.nanoTime() - approvedAt) / 1_000_000;
        assertEquals(Boolean.TRUE, found);
        assertTrue(elapsedMs < 1_000, "in the wallet's history " + elapsedMs + " ms after the shop showed the approval");
        walletPage.navigate(wallet + "/wallet");
        assertThat(walletPage.getByTestId("card-history-" + cardId).locator("li").first()).containsText(SHOP_NAME);
        assertThat(walletPage.getByTestId("card-balance-" + cardId)).hasText("₩37,000");
        shot(walletPage, "mall-D-06-wallet-history");

        // typed by hand, and declined by the issuer: the shop shows why (the published demo card of README.md, a wrong CVV2)
        String declined = order(page, shop, "pen", "D-declined");
        page.fill("#card-number", "9410 0000 0000 0013");
        page.fill("#card-expiry", "1230");
        page.fill("#card-cvv2", "000");
        page.fill("#card-pin", "1234");
        page.click("#card-submit");
        page.waitForURL("**/order/" + declined);
        assertThat(page.locator("#order-status")).hasAttribute("data-status", "DECLINED");
        assertThat(page.locator("#order-reason")).not().isEmpty();
        assertThat(page.locator("#order-retry")).isVisible();
        shot(page, "mall-D-07-shop-declined");
        page.close();
        assertEquals(List.of(), problems, "no script errors or CSP violations");
    }

    /** One product into the cart of {@code base}'s shop and on to its checkout page; the order id. */
    private static String order(Page page, String base, String product, String flow) {
        page.navigate(base + "/");
        shot(page, "mall-" + flow + "-01-catalogue");
        page.click("#add-" + product);
        page.waitForURL("**/cart");
        page.click("#checkout");
        page.waitForURL("**/checkout/**");
        page.waitForFunction("() => !!window.AnonpayWalletProgram");
        shot(page, "mall-" + flow + "-02-checkout");
        return page.locator("#checkout-order-id").textContent();
    }

    /** The auto-fill button, the pop-up (logged in already, or logging in), the card, the password, the PIN twice, "fill". */
    private static void fillFromWallet(Page page, String flow) {
        Page popup = page.waitForPopup(() -> page.click("#autofill"));
        assertTrue(popup.url().startsWith(wallet + "/pay?mode=autofill"), popup.url());
        popup.locator("#pay-login-form:not([hidden]), #pay-card-form:not([hidden])").first().waitFor();
        if (popup.locator("#pay-login-form").isVisible()) {
            popup.fill("#pay-login", memberId);
            popup.fill("#pay-password", password);
            popup.click("#pay-login-submit");
        }
        popup.check("#pay-card-" + cardId);
        popup.fill("#pay-reveal-password", password);
        popup.fill("#pay-pin", PIN);
        popup.fill("#pay-pin-confirm", PIN);
        shot(popup, "mall-" + flow + "-03-popup-autofill");
        popup.waitForClose(() -> popup.click("#pay-fill"));
        assertThat(page.locator("#card-number")).hasValue(Pattern.compile("\\d{16}"));
        assertThat(page.locator("#card-expiry")).hasValue(Pattern.compile("\\d{4}"));
        assertThat(page.locator("#card-cvv2")).hasValue(Pattern.compile("\\d{3}"));
        assertThat(page.locator("#card-pin")).hasValue(PIN);
        // the leak scan looks for this card's data in the host's logs and database
        String pan = page.inputValue("#card-number");
        HostFixture.rememberSecret("pan", pan);
        HostFixture.rememberSecret("cvv2", pan.substring(12) + ":" + page.inputValue("#card-cvv2"));
        HostFixture.rememberSecret("pinblock", HexFormat.of().formatHex(PinBlocks.encryptedIso0(pan, PIN, HostFixture.devZpk())));
    }
}
