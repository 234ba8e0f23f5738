// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.purchase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.purchase.Goods;

/**
 * What the wallet reads of the gateway's tables (read only, on the caller's connection): a mall's
 * name, kind and state ({@code mall}), and the goods of the member's paid wallet purchases
 * ({@code wallet_purchase}) for the card history (b10: the member sees the mall's name and goods).
 */
public final class WalletPurchases {

    /** What the wallet shows of a mall: never its secrets or webhook. */
    public record MallInfo(String mallId, String name, Mall.Kind kind, Mall.State state) {
        public boolean takesWalletPayments() {
            return kind == Mall.Kind.PARTNER && state == Mall.State.ACTIVE;
        }
    }

    private WalletPurchases() {}

    public static Optional<MallInfo> mall(Connection c, String mallId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, name, kind, state FROM mall WHERE mall_id = ?")) {
            ps.setString(1, mallId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new MallInfo(rs.getString(1), rs.getString(2), Mall.Kind.valueOf(rs.getString(3)), Mall.State.valueOf(rs.getString(4))));
            }
        }
    }

    /** Names of the malls among {@code ids} (merchant ids of field 42; most are not malls). */
    public static Map<String, String> mallNames(Connection c, Collection<String> ids) throws SQLException {
        Map<String, String> names = new HashMap<>();
        List<String> wanted = ids.stream().filter(id -> id != null && Mall.ID.matcher(id).matches()).distinct().toList();
        if (wanted.isEmpty()) return names;
        try (PreparedStatement ps = c.prepareStatement("SELECT mall_id, name FROM mall WHERE mall_id IN (" + marks(wanted.size()) + ")")) {
            for (int i = 0; i < wanted.size(); i++) ps.setString(i + 1, wanted.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.put(rs.getString(1), rs.getString(2));
            }
        }
        return names;
    }

    /**
     * The goods of the member's paid purchases on {@code cardId} among the payments {@code paymentRefs}
     * (the message keys' {@code toString}, as MarkPurchasePaid stores them). Looked up through the
     * member's own purchases (index on member_ref), so no other member's purchase can show.
     */
    public static Map<String, Goods> goodsByPayment(Connection c, long memberRef, long cardId, Collection<String> paymentRefs) throws SQLException {
        Map<String, Goods> goods = new HashMap<>();
        List<String> wanted = paymentRefs.stream().distinct().toList();
        if (wanted.isEmpty()) return goods;
        try (PreparedStatement ps = c.prepareStatement("SELECT payment_ref, goods FROM wallet_purchase WHERE member_ref = ? AND card_id = ? "
                + "AND state = 'PAID' AND payment_ref IN (" + marks(wanted.size()) + ")")) {
            ps.setLong(1, memberRef);
            ps.setLong(2, cardId);
            for (int i = 0; i < wanted.size(); i++) ps.setString(i + 3, wanted.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) goods.put(rs.getString(1), Goods.parseCanonical(rs.getString(2)));
            }
        }
        return goods;
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }
}
