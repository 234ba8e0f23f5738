// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.anonpay.gateway.mall.WebhookUrls;
import org.anonpay.gateway.mall.WebhookUrls.Check;
import org.junit.jupiter.api.Test;

class WebhookUrlsTest {

    @Test
    void internalAddressesAreRefusedUnlessTheDevelopmentFlagAllowsThem() {
        for (String url : new String[] {"http://127.0.0.1:9000/hook", "http://localhost/hook", "http://10.1.2.3/h", "http://172.20.0.5/h",
                "http://192.168.1.10/h", "http://169.254.169.254/latest/meta-data", "http://[::1]/h", "http://[fd00::1]/h", "http://100.64.1.1/h",
                "http://0.0.0.0/h"}) {
            assertEquals(Check.INTERNAL_ADDRESS, WebhookUrls.check(URI.create(url), false), url);
            assertEquals(Check.ALLOWED, WebhookUrls.check(URI.create(url), true), url);
        }
    }

    @Test
    void publicAddressesAndBadUrls() {
        assertEquals(Check.ALLOWED, WebhookUrls.check(URI.create("https://93.184.215.14/hooks/anonpay"), false));
        assertEquals(Check.NOT_HTTP, WebhookUrls.check(URI.create("ftp://93.184.215.14/x"), false));
        assertEquals(Check.NOT_HTTP, WebhookUrls.check(URI.create("file:///etc/passwd"), true));
        assertEquals(Check.NO_HOST, WebhookUrls.check(URI.create("https://user@93.184.215.14/x"), false));
        assertEquals(Check.UNRESOLVABLE, WebhookUrls.check(URI.create("https://no-such-host.invalid/x"), false));
    }
}
