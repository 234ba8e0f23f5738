// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.anonpay.authz.Journal;
import org.anonpay.authz.JournalEntry;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardControls;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardState;
import org.anonpay.issuer.ControlsChange;
import org.anonpay.issuer.PinChange;
import org.anonpay.issuer.StateChange;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.auth.AuthApi;
import org.anonpay.web.auth.WebSession;
import org.anonpay.web.purchase.WalletPurchases;
import org.anonpay.gateway.purchase.Goods;
import org.hibernate.Session;

/**
 * The card detail page's actions (all member routes; the state-changing ones need the CSRF token):
 * <pre>
 *   GET  /api/v1/cards/{id}/history?limit=20   the card's last transactions from the authorization journal,
 *                                              with the mall's name and the goods of wallet payments
 *   POST /api/v1/cards/{id}/freeze             ACTIVE → FROZEN
 *   POST /api/v1/cards/{id}/unfreeze           FROZEN → ACTIVE
 *   POST /api/v1/cards/{id}/report-lost        ACTIVE or FROZEN → LOST (final)
 *   PUT  /api/v1/cards/{id}/controls           the member's limits and online/offline switches
 *   POST /api/v1/cards/{id}/pin                a new PIN, after the password again
 * </pre>
 * Another member's card answers 404 like a missing one. A refused request changes nothing: each
 * change is one transaction with the card row locked, and every check runs before the change.
 */
final class CardControlsApi {

    static final int HISTORY_DEFAULT = 20;
    static final int HISTORY_MAX = 100;
    private static final Set<String> PIN_FIELDS = Set.of("password", "pin", "pinConfirm");

    private final Database db;
    private final CardIssuer issuer;
    private final AuthApi auth;

    CardControlsApi(Database db, CardIssuer issuer, AuthApi auth) {
        this.db = db;
        this.issuer = issuer;
        this.auth = auth;
    }

    void addRoutes(Router router) {
        router.addMember("GET", "/api/v1/cards/{id}/history", this::history)
                .addMember("POST", "/api/v1/cards/{id}/freeze", (r, s) -> transition(r, s, EnumSet.of(CardState.ACTIVE), CardState.FROZEN))
                .addMember("POST", "/api/v1/cards/{id}/unfreeze", (r, s) -> transition(r, s, EnumSet.of(CardState.FROZEN), CardState.ACTIVE))
                .addMember("POST", "/api/v1/cards/{id}/report-lost",
                        (r, s) -> transition(r, s, EnumSet.of(CardState.ACTIVE, CardState.FROZEN), CardState.LOST))
                .addMember("PUT", "/api/v1/cards/{id}/controls", this::putControls)
                .addMember("POST", "/api/v1/cards/{id}/pin", this::changePin);
    }

    // ---------------------------------------------------------------- controls as JSON

    /** The controls object of the wallet entry, with the program's limits beside the member's. */
    static Map<String, Object> controlsJson(CardControls c, Optional<CardProgram> program) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limitPerTransaction", c.limitPerTransaction());
        m.put("limitDaily", c.limitDaily());
        m.put("allowOnline", c.allowOnline());
        m.put("allowOffline", c.allowOffline());
        m.put("programLimitPerTransaction", program.map(CardProgram::limitPerTransaction).orElse(null));
        m.put("programLimitDaily", program.map(CardProgram::limitDaily).orElse(null));
        return m;
    }

    // ---------------------------------------------------------------- history

    private ApiResponse history(ApiRequest request, WebSession session) {
        int limit = historyLimit(request);
        long cardId = CardApi.cardIdOf(request);
        List<Map<String, Object>> transactions = db.inTransaction(s -> {
            owned(issuer.findById(s, cardId), session);
            List<JournalEntry> entries = Journal.history(s, cardId, limit);
            // b10: wallet payments show the mall's name and the goods the member confirmed
            // field 42 comes off the wire space-padded to 15: the mall id is its stripped form
            Map<String, String> malls = s.doReturningWork(c -> WalletPurchases.mallNames(c, entries.stream().map(e -> mallIdOf(e)).toList()));
            Map<String, Goods> goods = s.doReturningWork(c -> WalletPurchases.goodsByPayment(c, session.memberRef(), cardId,
                    entries.stream().map(e -> e.key().toString()).toList()));
            return entries.stream().map(e -> historyEntry(e, malls.get(mallIdOf(e)), goods.get(e.key().toString()))).toList();
        });
        return ApiResponse.ok(Map.of("transactions", transactions));
    }

    private static int historyLimit(ApiRequest request) {
        String value = request.param("limit");
        if (value == null) return HISTORY_DEFAULT;
        if (!value.matches("[1-9][0-9]{0,2}") || Integer.parseInt(value) > HISTORY_MAX) {
            throw new ApiException(FieldError.of(ErrorCode.INVALID_VALUE, "limit", "a whole number from 1 to " + HISTORY_MAX));
        }
        return Integer.parseInt(value);
    }

    /** What the member sees of a journaled message: no card number, no terminal or acquirer ids. */
    private static String mallIdOf(JournalEntry e) {
        return e.merchantId() == null ? null : e.merchantId().strip();
    }

    private static Map<String, Object> historyEntry(JournalEntry e, String mallName, Goods goods) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.createdAt().toString());
        m.put("type", e.type().name());
        m.put("amount", e.amount());
        m.put("currency", e.currency());
        m.put("approved", e.approved());
        m.put("responseCode", e.responseCode());
        m.put("reason", e.declineReason() == null ? null : e.declineReason().name());
        m.put("merchant", e.merchantName());
        m.put("mallName", mallName);
        m.put("goods", goods == null ? null : goods.items().stream().map(i -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", i.name());
            item.put("quantity", i.quantity());
            item.put("unitPrice", i.unitPriceMinor());
            return item;
        }).toList());
        return m;
    }

    // ---------------------------------------------------------------- state

    /**
     * Moves the member's card to {@code to} if its state (read under the row lock) is one of
     * {@code from}; any other state is 409 CARD_STATE_CONFLICT, also a repeated request (a
     * FROZEN card cannot be frozen again): the answer then says the state the card is in.
     */
    private ApiResponse transition(ApiRequest request, WebSession session, Set<CardState> from, CardState to) {
        requireEmptyBody(request);
        long cardId = CardApi.cardIdOf(request);
        CardState state = db.inTransaction(s -> {
            Card card = owned(issuer.lockById(s, cardId), session);
            if (!from.contains(card.state())) throw conflict(card.state());
            StateChange change = issuer.changeState(s, cardId, to);
            if (change != StateChange.CHANGED) throw conflict(card.state());
            return to;
        });
        return ApiResponse.ok(Map.of("state", state.name()));
    }

    /** The actions take no parameters: a body is either empty or {@code {}}; fields in it are refused. */
    private static void requireEmptyBody(ApiRequest request) {
        if (request.body() == null || request.body().length == 0) return;
        ObjectNode body = Json.object(request);
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name)));
        if (!errors.isEmpty()) throw new ApiException(errors);
    }

    private static ApiException conflict(CardState state) {
        return new ApiException(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, null, "the card is " + state));
    }

    // ---------------------------------------------------------------- controls

    private ApiResponse putControls(ApiRequest request, WebSession session) {
        ControlsForm form = ControlsForm.parse(request);
        long cardId = CardApi.cardIdOf(request);
        Map<String, Object> body = db.inTransaction(s -> {
            Card card = owned(issuer.lockById(s, cardId), session);
            Optional<CardProgram> program = issuer.programOf(card);
            if (program.isEmpty()) throw new ApiException(FieldError.of(ErrorCode.CARD_STATE_CONFLICT, null, "the card's program is no longer in force"));
            form.checkAgainst(program.get());
            refuse(issuer.setControls(s, cardId, form.controls()), card);
            return controlsJson(issuer.controls(s, cardId), program);
        });
        return ApiResponse.ok(body);
    }

    /** The issuer's own verdict; the form checked the same rules, so only a state change or a race gets here. */
    private static void refuse(ControlsChange change, Card card) {
        switch (change) {
            case CHANGED -> { }
            case CARD_NOT_FOUND -> throw ApiException.of(ErrorCode.NOT_FOUND, null);
            case CARD_NOT_CHANGEABLE, PROGRAM_UNKNOWN -> throw conflict(card.state());
            case LIMIT_NOT_POSITIVE -> throw ApiException.of(ErrorCode.INVALID_VALUE, ControlsForm.PER_TRANSACTION);
            case TRANSACTION_LIMIT_ABOVE_PROGRAM -> throw ApiException.of(ErrorCode.AMOUNT_TOO_LARGE, ControlsForm.PER_TRANSACTION);
            case DAILY_LIMIT_ABOVE_PROGRAM -> throw ApiException.of(ErrorCode.AMOUNT_TOO_LARGE, ControlsForm.DAILY);
            case TRANSACTION_LIMIT_ABOVE_DAILY -> throw ApiException.of(ErrorCode.INVALID_VALUE, ControlsForm.PER_TRANSACTION);
        }
    }

    // ---------------------------------------------------------------- PIN

    /**
     * A new card PIN. The body is checked first (a malformed one costs no password try), then the
     * password exactly as for reveal (counted in the log-in throttle), then the card: a wrong
     * password tells nothing about the card.
     */
    private ApiResponse changePin(ApiRequest request, WebSession session) {
        PinForm form = PinForm.parse(request);
        try {
            if (!auth.recheckPassword(session, form.password())) throw ApiException.of(ErrorCode.PASSWORD_WRONG, "password");
            long cardId = CardApi.cardIdOf(request);
            db.inTransaction(s -> {
                Card card = owned(issuer.lockById(s, cardId), session);
                if (issuer.changePin(s, cardId, form.pin()) != PinChange.CHANGED) throw conflict(card.state());
                return null;
            });
            return new ApiResponse(204, null, Map.of());
        } finally {
            form.wipe();
        }
    }

    /** {@code password}, {@code pin}, {@code pinConfirm}: the PIN rules are the card application's. */
    private record PinForm(String password, char[] pin) {

        static PinForm parse(ApiRequest request) {
            ObjectNode body = Json.object(request);
            List<FieldError> errors = new ArrayList<>();
            String password = password(body, errors);
            char[] pin = CardApplication.pin(body, errors);
            body.fieldNames().forEachRemaining(name -> {
                if (!PIN_FIELDS.contains(name)) errors.add(FieldError.of(ErrorCode.UNKNOWN_FIELD, name));
            });
            if (!errors.isEmpty()) {
                if (pin != null) java.util.Arrays.fill(pin, '\0');
                throw new ApiException(errors);
            }
            return new PinForm(password, pin);
        }

        private static String password(ObjectNode body, List<FieldError> errors) {
            var v = body.get("password");
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) errors.add(FieldError.of(ErrorCode.REQUIRED, "password"));
            else if (!v.isTextual()) errors.add(FieldError.of(ErrorCode.WRONG_TYPE, "password"));
            else return v.asText();
            return null;
        }

        void wipe() {
            java.util.Arrays.fill(pin, '\0');
        }

        @Override
        public String toString() {
            return "PinForm[***]"; // neither the password nor the PIN in any log
        }
    }

    // ---------------------------------------------------------------- ownership

    /** The card if it is the member's; another member's card is exactly as absent as a missing one. */
    static Card owned(Optional<Card> card, WebSession session) {
        return card.filter(c -> CardApi.holderRef(session).equals(c.holderRef()))
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, null));
    }
}
