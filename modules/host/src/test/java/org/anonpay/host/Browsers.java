// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the browser tests share: Playwright driving Debian's chromium (never a downloaded
 * browser), with the launch options of WalletBrowserIT; full-page screenshots into
 * target/screenshots; the wait for a form's outcome; test resident registration numbers.
 */
final class Browsers implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("anonpay.chromium", "/usr/bin/chromium"));
    static final Path SHOTS = Path.of(System.getProperty("anonpay.screenshots", "target/screenshots"));
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    final Playwright playwright;
    final Browser browser;

    private Browsers(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Debian's chromium, headless; assertions wait up to 15 s. */
    static Browsers launch() throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium (.ci/run does)");
        Files.createDirectories(SHOTS);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS));
            PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
            return new Browsers(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A full-page screenshot, target/screenshots/{@code name}.png. */
    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Waits until {@code success} or an error of the wallet pages shows; fails with the errors the page shows. */
    static void settled(Page page, String success) {
        Locator outcome = page.locator(success + ":not([hidden]), .field-error:not([hidden]), .form-error:not([hidden])");
        outcome.first().waitFor();
        List<String> errors = page.locator(".field-error:not([hidden]), .form-error:not([hidden])").allTextContents();
        assertEquals(List.of(), errors, "errors on " + page.url());
    }

    /** {@code prefix} "YYMMDD-G", {@code middle} 5 digits; appends the check digit of a resident registration number. */
    static String rrn(String prefix, String middle) {
        String twelve = prefix.replace("-", "") + middle;
        int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) sum += w[i] * (twelve.charAt(i) - '0');
        return prefix + middle + (11 - sum % 11) % 10;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
