// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.purchase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.purchase.Purchases;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardState;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Router;
import org.anonpay.web.auth.WebSession;

/**
 * The wallet program's side of a partner-mall payment (patent b4–b5, docs/wallet-program.md):
 * <pre>
 *   POST /api/v1/purchases        member + CSRF: keep the purchase data with the chosen card; 201 with the opaque purchaseRef
 *   GET  /api/v1/malls/{mallId}   public: the name of an active partner mall (shown in the wallet before the member confirms)
 * </pre>
 * The purchase is written by the gateway's {@link Purchases} in one transaction with the checks
 * of the mall and the card; it lives {@code purchase.ttl-minutes}. The mall's page gets back only
 * the reference: no card, member or balance datum.
 */
public final class PurchaseApi {

    private final Database db;
    private final Supplier<CardPrograms> programs;
    private final Purchases purchases;
    private final Clock clock;

    public PurchaseApi(Database db, Supplier<CardPrograms> programs, Duration timeToLive, Clock clock) {
        this.db = db;
        this.programs = programs;
        this.purchases = new Purchases(timeToLive);
        this.clock = clock;
    }

    public void addRoutes(Router router) {
        router.addMember("POST", "/api/v1/purchases", this::create)
                .add("GET", "/api/v1/malls/{mallId}", this::mall);
    }

    private ApiResponse create(ApiRequest request, WebSession session) {
        PurchaseForm form = PurchaseForm.parse(request);
        // the database keeps microseconds: the answer's expiresAt is then exactly the stored one
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> body = db.inTransaction(s -> {
            List<FieldError> errors = new ArrayList<>();
            Optional<WalletPurchases.MallInfo> mall = s.doReturningWork(c -> WalletPurchases.mall(c, form.mallId()));
            if (mall.isEmpty()) errors.add(FieldError.of(ErrorCode.NOT_FOUND, "mallId", "no such mall"));
            else if (!mall.get().takesWalletPayments()) errors.add(FieldError.of(ErrorCode.MALL_NOT_ACCEPTED, "mallId"));
            checkCard(s.find(Card.class, form.cardId()), session, form.currency(), now, errors);
            if (!errors.isEmpty()) throw new ApiException(errors);
            Purchases.Created created = s.doReturningWork(c -> purchases.create(c, form.mallId(), form.customerRef(), form.orderId(),
                    form.goods(), form.currency(), form.cardId(), session.memberRef(), now));
            if (created.status() == Purchases.CreateStatus.ORDER_ALREADY_PAID) throw ApiException.of(ErrorCode.ORDER_ALREADY_PAID, "orderId");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("purchaseRef", created.purchase().reference());
            m.put("expiresAt", created.purchase().expiresAt().toString());
            m.put("mallName", mall.get().name());
            m.put("total", created.purchase().totalMinor());
            m.put("currency", created.purchase().currency());
            return m;
        });
        return new ApiResponse(201, body, Map.of("Cache-Control", "no-store"));
    }

    /** The member's own card (else 404, like a missing one), ACTIVE, unexpired, of the purchase's currency. */
    private void checkCard(Card card, WebSession session, String currency, Instant now, List<FieldError> errors) {
        if (card == null || !Long.toString(session.memberRef()).equals(card.holderRef())) {
            errors.add(FieldError.of(ErrorCode.NOT_FOUND, "cardId", "no such card in the wallet"));
            return;
        }
        if (card.state() != CardState.ACTIVE) {
            errors.add(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, "cardId", "the card is " + card.state()));
            return;
        }
        if (card.expiry().isBefore(YearMonth.now(clock))) {
            errors.add(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, "cardId", "the card is expired"));
            return;
        }
        String cardCurrency = programs.get().byId(card.programId()).map(CardProgram::currencyCode).orElse(null);
        if (!currency.equals(cardCurrency)) errors.add(FieldError.of(ErrorCode.CARD_CURRENCY_MISMATCH, "cardId"));
    }

    private ApiResponse mall(ApiRequest request) {
        String mallId = Router.segment(request, 3);
        if (mallId == null || !Mall.ID.matcher(mallId).matches()) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        Optional<WalletPurchases.MallInfo> mall = db.inJdbcTransaction(c -> WalletPurchases.mall(c, mallId));
        if (mall.isEmpty() || !mall.get().takesWalletPayments()) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        return ApiResponse.ok(Map.of("mallId", mall.get().mallId(), "name", mall.get().name()));
    }
}
