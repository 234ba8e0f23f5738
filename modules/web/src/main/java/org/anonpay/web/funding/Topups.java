// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardState;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.auth.WebSession;
import org.anonpay.web.funding.FundingSources.Source;
import org.anonpay.web.funding.TopupStore.Topup;
import org.hibernate.Session;

/**
 * Top-ups of a prepaid card from a funding source (a7):
 * <pre>
 *   POST /api/v1/cards/{cardId}/topups   {"sourceId", "amount", "requestId"} (member, CSRF)
 *   GET  /api/v1/cards/{cardId}/topups   the card's top-ups, newest first (member)
 * </pre>
 * The row is written before money moves; everything that can refuse the request without moving
 * money (fields, card, source, maximum balance) is checked before the row, so a refused request
 * writes nothing. The answer to a request is kept: the same requestId with the same values gets
 * the same answer again.
 */
final class Topups {

    private final Database db;
    private final CardIssuer issuer;
    private final FundingSources sources;
    private final TopupStore store;
    private final TopupProcessor processor;
    private final Ledger ledger = new Ledger();

    Topups(Database db, CardIssuer issuer, FundingSources sources, TopupStore store, TopupProcessor processor) {
        this.db = db;
        this.issuer = issuer;
        this.sources = sources;
        this.store = store;
        this.processor = processor;
    }

    void addRoutes(Router router) {
        router.addMember("POST", "/api/v1/cards/{id}/topups", this::create)
                .addMember("GET", "/api/v1/cards/{id}/topups", this::list);
    }

    // ---------------------------------------------------------------- create

    /** What was checked before the row is written. */
    private record Plan(String currency, FundingKind kind) {}

    private ApiResponse create(ApiRequest request, WebSession session) {
        long cardId = cardIdOf(request);
        TopupForm form = TopupForm.parse(Json.object(request));
        Optional<Topup> earlier = store.byRequest(session.memberRef(), form.requestId());
        if (earlier.isPresent()) return replay(earlier.get(), cardId, form);
        Plan plan = db.inTransaction(s -> plan(s, session, cardId, form));
        Optional<Long> id = store.insert(session.memberRef(), form.requestId(), cardId, form.sourceId(), plan.kind(), form.amountMinor(),
                plan.currency(), processor.lease());
        if (id.isEmpty()) return replay(store.byRequest(session.memberRef(), form.requestId()).orElseThrow(), cardId, form);
        return answer(processor.run(id.get(), true), 201);
    }

    /** A repeated requestId: the stored outcome if it is the same request and finished. */
    private ApiResponse replay(Topup earlier, long cardId, TopupForm form) {
        if (!earlier.sameRequest(cardId, form.sourceId(), form.amountMinor())) throw ApiException.of(ErrorCode.REQUEST_ID_REUSED, "requestId");
        if (!earlier.state().finished()) throw ApiException.of(ErrorCode.TOPUP_IN_PROGRESS, "requestId");
        return answer(earlier, 200);
    }

    /** Card (404 unless the member's), source (404 unless the member's and not removed), card state, currency, maximum balance. */
    private Plan plan(Session s, WebSession session, long cardId, TopupForm form) {
        Card card = ownedCard(s, session, cardId);
        Source source = s.doReturningWork(c -> sources.activeSource(c, session.memberRef(), form.sourceId()))
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, "sourceId"));
        CardProgram program = issuer.programOf(card).orElseThrow(() -> ApiException.of(ErrorCode.CARD_STATE_CONFLICT, null));
        List<FieldError> errors = new ArrayList<>();
        if (card.state() != CardState.ACTIVE) {
            errors.add(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, null, "the card is " + card.state() + "; only an ACTIVE card is topped up"));
        }
        if (source.kind() == FundingKind.BANK_ACCOUNT && !"KRW".equals(program.currencyCode())) {
            errors.add(FieldError.of(ErrorCode.INVALID_VALUE, "sourceId", "bank accounts top up KRW cards only"));
        }
        Balance balance = s.doReturningWork(c -> ledger.balance(c, card.ledgerAccountId()));
        if (overMaximum(balance.posted(), form.amountMinor(), program.maxBalance())) {
            errors.add(FieldError.of(ErrorCode.OVER_MAXIMUM_BALANCE, "amount", "the card may hold at most " + program.maxBalance()
                    + " and holds " + balance.posted() + " (minor units)"));
        }
        if (!errors.isEmpty()) throw new ApiException(errors);
        return new Plan(program.currencyCode(), source.kind());
    }

    /** The same test as the issuer's CreditCard participant, made before anything is charged. */
    private static boolean overMaximum(long postedMinor, long amountMinor, long maxBalanceMinor) {
        return amountMinor > maxBalanceMinor || postedMinor > maxBalanceMinor - amountMinor;
    }

    private Card ownedCard(Session s, WebSession session, long cardId) {
        return issuer.findById(s, cardId).filter(c -> Long.toString(session.memberRef()).equals(c.holderRef()))
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, null));
    }

    // ---------------------------------------------------------------- answers

    /** LOADED: the top-up and the new balance; still FUNDED (load unanswered): 202; every other outcome its error. */
    private ApiResponse answer(Topup t, int loadedStatus) {
        return switch (t.state()) {
            case LOADED -> new ApiResponse(loadedStatus, body(t, true), Map.of("Location", "/api/v1/cards/" + t.cardId() + "/topups"));
            case FUNDED -> new ApiResponse(202, body(t, false), Map.of());
            case PENDING, REVERSAL_PENDING, REVERSED, UNAVAILABLE -> throw unavailable(t);
            case DECLINED -> throw new ApiException(FieldError.of(ErrorCode.FUNDING_DECLINED, "sourceId",
                    (t.sourceKind() == FundingKind.CREDIT_CARD ? "the card's issuer" : "the bank") + " refused the payment (code "
                            + t.fundingCode() + "); top-up " + t.id() + ", nothing was loaded"));
            case FAILED, REFUND_PENDING -> throw loadRefused(t);
        };
    }

    private static ApiException unavailable(Topup t) {
        ErrorCode code = t.sourceKind() == FundingKind.CREDIT_CARD ? ErrorCode.ISSUER_UNAVAILABLE : ErrorCode.BANK_UNAVAILABLE;
        String message = switch (t.state()) {
            case UNAVAILABLE -> "not reachable; nothing was charged";
            case REVERSED -> "did not answer in time; the payment was reversed and nothing was loaded";
            default -> "did not answer in time; the payment is being reversed and nothing was loaded";
        };
        return new ApiException(FieldError.of(code, null, (t.sourceKind() == FundingKind.CREDIT_CARD ? "the card's issuer " : "the bank ")
                + message + " (top-up " + t.id() + ", " + t.state() + ")"));
    }

    private static ApiException loadRefused(Topup t) {
        String givenBack = t.state() == TopupState.FAILED ? "the payment was given back" : "the payment is being given back";
        if ("61".equals(t.loadCode())) {
            return new ApiException(FieldError.of(ErrorCode.OVER_MAXIMUM_BALANCE, "amount",
                    "the card would hold more than its program allows; " + givenBack + " (top-up " + t.id() + ")"));
        }
        return new ApiException(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, null,
                "the card refused the load (code " + t.loadCode() + "); " + givenBack + " (top-up " + t.id() + ")"));
    }

    private Map<String, Object> body(Topup t, boolean withBalance) {
        Map<String, Object> m = entry(t);
        m.put("balance", withBalance ? balance(t.cardId()) : null);
        return m;
    }

    private static Map<String, Object> entry(Topup t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topupId", t.id());
        m.put("state", t.state().name());
        m.put("amount", t.amountMinor());
        m.put("currency", t.currency());
        m.put("sourceId", t.sourceId());
        m.put("sourceKind", t.sourceKind().name());
        m.put("requestId", t.requestId());
        m.put("responseCode", t.loadCode());
        m.put("fundingCode", t.fundingCode());
        m.put("createdAt", t.createdAt().atOffset(java.time.ZoneOffset.UTC).toString());
        m.put("updatedAt", t.updatedAt().atOffset(java.time.ZoneOffset.UTC).toString());
        return m;
    }

    private Map<String, Object> balance(long cardId) {
        return db.inTransaction(s -> {
            Card card = issuer.findById(s, cardId).orElseThrow();
            Balance b = s.doReturningWork(c -> ledger.balance(c, card.ledgerAccountId()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("available", b.available());
            m.put("ledger", b.posted());
            m.put("currency", b.currency());
            m.put("fractionDigits", Currency.getInstance(b.currency()).getDefaultFractionDigits());
            return m;
        });
    }

    // ---------------------------------------------------------------- list

    private ApiResponse list(ApiRequest request, WebSession session) {
        long cardId = cardIdOf(request);
        db.inTransaction(s -> ownedCard(s, session, cardId));
        List<Map<String, Object>> topups = store.ofCard(session.memberRef(), cardId).stream().map(Topups::entry).toList();
        return ApiResponse.ok(Map.of("topups", topups));
    }

    /** Segment 3 of /api/v1/cards/{id}/topups; anything but a positive number is no card (404). */
    private static long cardIdOf(ApiRequest request) {
        String id = Objects.requireNonNullElse(Router.segment(request, 3), "");
        if (!id.matches("[1-9][0-9]{0,17}")) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        return Long.parseLong(id);
    }
}
