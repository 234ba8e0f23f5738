// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.mall;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether a mall's webhook URL may be called. The gateway posts to it from inside the operator's
 * network, so a URL naming loopback, link-local (cloud metadata at 169.254.169.254), private or
 * otherwise internal addresses would let a mall reach internal services (SSRF): refused unless
 * the development flag allows it. Checked when the URL is set and again, on the resolved
 * addresses, before every delivery (DNS may change).
 */
public final class WebhookUrls {

    public enum Check { ALLOWED, NOT_HTTP, NO_HOST, UNRESOLVABLE, INTERNAL_ADDRESS }

    private WebhookUrls() {}

    public static Check check(URI url, boolean allowInternal) {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) return Check.NOT_HTTP;
        if (url.getHost() == null || url.getHost().isBlank() || url.getUserInfo() != null) return Check.NO_HOST;
        if (allowInternal) return Check.ALLOWED;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return Check.UNRESOLVABLE;
        }
        for (InetAddress a : addresses) {
            if (internal(a)) return Check.INTERNAL_ADDRESS;
        }
        return Check.ALLOWED;
    }

    /** Loopback, link-local, site-local (10/8, 172.16/12, 192.168/16), any-local, multicast, IPv6 unique-local, CGNAT. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) return true;
        byte[] b = a.getAddress();
        if (b.length == 16) return (b[0] & 0xfe) == 0xfc; // fc00::/7
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64   // 100.64.0.0/10 carrier-grade NAT
                || (b[0] & 0xff) == 0;                        // 0.0.0.0/8
    }
}
