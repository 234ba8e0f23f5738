// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.gateway.purchase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.time.Instant;

/**
 * Purchase matching (patent b7): a mall's approval request is sent on to the issuer only if it
 * agrees with the purchase data the wallet kept (b5). Every kind of disagreement is its own
 * {@link Result}, so the mall's developers and ops staff see exactly what differed.
 */
public final class PurchaseMatching {

    public enum Result {
        MATCHED,
        UNKNOWN_PURCHASE,
        MALL_MISMATCH,
        CUSTOMER_MISMATCH,
        ORDER_MISMATCH,
        CURRENCY_MISMATCH,
        GOODS_MISMATCH,
        TOTAL_MISMATCH,
        PURCHASE_EXPIRED,
        ALREADY_PAID
    }

    /**
     * What the mall's approval request (b6) says about the purchase, as it reaches the transaction
     * manager: the goods as the SHA-256 of their canonical form ({@link Goods#digest()}), hex.
     */
    public record ApprovalRequest(String reference, String mallId, String customerRef, String orderId, String goodsDigestHex,
                                  long totalMinor, String currency) {}

    private PurchaseMatching() {}

    /**
     * @param stored the purchase under the request's reference, or null when there is none.
     *               References are 128 random bits, so MALL_MISMATCH tells a mall nothing it could
     *               use about another mall's purchases; it tells ops staff of a misrouted request.
     */
    public static Result match(Purchase stored, ApprovalRequest request, Instant now) {
        if (stored == null) return Result.UNKNOWN_PURCHASE;
        if (!stored.mallId().equals(request.mallId())) return Result.MALL_MISMATCH;
        if (stored.state() == Purchase.State.PAID) return Result.ALREADY_PAID;
        if (stored.expiredAt(now)) return Result.PURCHASE_EXPIRED;
        if (!stored.customerRef().equals(request.customerRef())) return Result.CUSTOMER_MISMATCH;
        if (!stored.orderId().equals(request.orderId())) return Result.ORDER_MISMATCH;
        if (!stored.currency().equals(request.currency())) return Result.CURRENCY_MISMATCH;
        byte[] requested = request.goodsDigestHex().getBytes(StandardCharsets.US_ASCII);
        byte[] kept = HexFormat.of().formatHex(stored.goods().digest()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(kept, requested)) return Result.GOODS_MISMATCH;
        if (stored.totalMinor() != request.totalMinor()) return Result.TOTAL_MISMATCH;
        return Result.MATCHED;
    }
}
