// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.card;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.issuer.Card;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.issuer.PhysicalCards;
import org.anonpay.ledger.Balance;
import org.anonpay.ledger.Ledger;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.auth.AuthApi;
import org.anonpay.web.auth.WebSession;
import org.anonpay.web.mail.Mailer;
import org.hibernate.Session;

/**
 * Card application and e-wallet (patent steps a2–a6):
 * <pre>
 *   POST /api/v1/cards              apply for a card (member, CSRF): 201 with the masked number
 *   GET  /api/v1/cards              the member's e-wallet: cards, balances, controls, physical card status (member)
 *   GET  /api/v1/cards/{id}         one card of the e-wallet, the same entry as in the list (member)
 *   POST /api/v1/cards/{id}/reveal  full number, expiry and CVV2 after the password again (member, CSRF)
 * </pre>
 * The card detail page's actions (freeze, report lost, controls, PIN, history) are {@link CardControlsApi}'s.
 * The card belongs to the member through the issuer's {@code holder_ref} (the member's row id).
 * Another member's card answers 404, exactly like a card that does not exist.
 */
public final class CardApi {

    private final Database db;
    private final Supplier<CardPrograms> programs;
    private final CardIssuer issuer;
    private final CardSecurity security;
    private final PhysicalCards physical;
    private final Ledger ledger = new Ledger();
    private final AuthApi auth;
    private final Mailer mailer;
    private final Clock clock;
    private final CardControlsApi controls;

    public CardApi(Database db, Supplier<CardPrograms> programs, CardSecurity security, CardVault vault,
                   PhysicalCards physical, AuthApi auth, Mailer mailer, Clock clock) {
        this.db = db;
        this.programs = programs;
        this.security = security;
        this.issuer = new CardIssuer(programs, security, vault, ledger);
        this.physical = physical;
        this.auth = auth;
        this.mailer = mailer;
        this.clock = clock;
        this.controls = new CardControlsApi(db, issuer, auth);
    }

    /** The issuer's keys from {@code keysDir}; {@code programs} from the CardProgramService or the program files. */
    public static CardApi create(Database db, Supplier<CardPrograms> programs, Path keysDir, AuthApi auth, Mailer mailer, Clock clock) {
        return new CardApi(db, programs, new CardSecurity(keysDir), CardVault.load(keysDir), PhysicalCards.load(keysDir), auth, mailer, clock);
    }

    public void addRoutes(Router router) {
        router.addMember("POST", "/api/v1/cards", this::apply)
                .addMember("GET", "/api/v1/cards", this::list)
                .addMember("GET", "/api/v1/cards/{id}", this::detail)
                .addMember("POST", "/api/v1/cards/{id}/reveal", this::reveal);
        controls.addRoutes(router);
    }

    // ---------------------------------------------------------------- a2–a5 application

    /** What the issuing transaction hands back: never the PAN or CVV2 past this class. */
    private record Issued(long cardId, String maskedPan, String expiry, String state, String currency) {}

    private ApiResponse apply(ApiRequest request, WebSession session) {
        CardApplication app = CardApplication.parse(request, programs.get());
        Issued issued = db.inTransaction(s -> issueWithRequest(s, session, app));
        mailIssued(session, app, issued);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cardId", issued.cardId());
        body.put("maskedPan", issued.maskedPan());
        body.put("expiry", issued.expiry());
        body.put("state", issued.state());
        body.put("programId", app.programId());
        body.put("currency", issued.currency());
        body.put("cardName", app.cardName());
        body.put("emailStatements", app.emailStatements());
        body.put("physicalCard", app.physicalCard() ? Map.of("state", PhysicalCards.State.REQUESTED.name(), "delivery", app.delivery().name()) : null);
        return ApiResponse.created(body, "/api/v1/cards/" + issued.cardId());
    }

    /**
     * One transaction: the card, its ledger account, the wallet entry and the physical card
     * request. Any failure rolls all of it back, so no card exists without its request.
     */
    private Issued issueWithRequest(Session s, WebSession session, CardApplication app) {
        IssueResult result = issuer.issue(s, IssueRequest.of(app.programId(), app.cardName(), app.pin(), holderRef(session)));
        if (!result.issued()) throw new ApiException(FieldError.of(ErrorCode.CARD_NOT_ISSUED, null, "not issued: " + result.status()));
        long cardId = result.cardId();
        s.doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_card (card_id, member_ref, email_statements, added_at) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, cardId);
                ps.setLong(2, session.memberRef());
                ps.setBoolean(3, app.emailStatements());
                ps.setObject(4, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                ps.executeUpdate();
            }
            if (app.physicalCard()) {
                PhysicalCards.RequestResult r = physical.request(c, cardId, app.delivery(), app.deliveryAddress());
                if (r != PhysicalCards.RequestResult.REQUESTED) throw new IllegalStateException("physical card request of a new card: " + r);
            }
        });
        String currency = programs.get().byId(app.programId()).map(CardProgram::currencyCode).orElse("?");
        return new Issued(cardId, result.maskedPan(), result.expiry().toString(), "ACTIVE", currency);
    }

    /** a5: the member learns of the card by e-mail, with the masked number only (mail is not a safe channel). */
    private void mailIssued(WebSession session, CardApplication app, Issued issued) {
        String to = auth.emailOf(session.memberRef());
        if (to == null) return;
        StringBuilder text = new StringBuilder()
                .append("anonpay 카드가 발급되었습니다. / Your anonpay card was issued.\n\n")
                .append("카드 이름 / card name: ").append(app.cardName()).append('\n')
                .append("카드 번호 / card number: ").append(issued.maskedPan()).append('\n')
                .append("유효기간 / valid through: ").append(issued.expiry()).append('\n');
        if (app.physicalCard()) text.append("실물 카드 / plastic card: requested (").append(app.delivery()).append(")\n");
        text.append("\n전체 카드 번호는 지갑에서 비밀번호를 다시 입력하면 볼 수 있습니다.\n")
                .append("The full card number is shown in the wallet after entering your password again.\n");
        mailer.send(to, "[anonpay] 카드 발급 안내 / your card was issued", text.toString());
    }

    static String holderRef(WebSession session) {
        return Long.toString(session.memberRef());
    }

    // ---------------------------------------------------------------- e-wallet

    private ApiResponse list(ApiRequest request, WebSession session) {
        List<Map<String, Object>> cards = db.inTransaction(s -> {
            Map<Long, Boolean> emailStatements = emailStatements(s, session.memberRef());
            return cardsOf(s, session).stream().map(card -> walletEntry(s, card, emailStatements.get(card.id()))).toList();
        });
        return ApiResponse.ok(Map.of("cards", cards));
    }

    private ApiResponse detail(ApiRequest request, WebSession session) {
        long cardId = cardIdOf(request);
        Map<String, Object> entry = db.inTransaction(s -> {
            Card card = CardControlsApi.owned(issuer.findById(s, cardId), session);
            return walletEntry(s, card, emailStatements(s, session.memberRef()).get(card.id()));
        });
        return ApiResponse.ok(entry);
    }

    private static List<Card> cardsOf(Session s, WebSession session) {
        return s.createSelectionQuery("from Card c where c.holderRef = :ref order by c.id", Card.class)
                .setParameter("ref", holderRef(session))
                .getResultList();
    }

    private static Map<Long, Boolean> emailStatements(Session s, long memberRef) {
        return s.doReturningWork(c -> {
            Map<Long, Boolean> flags = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT card_id, email_statements FROM wallet_card WHERE member_ref = ?")) {
                ps.setLong(1, memberRef);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) flags.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
            return flags;
        });
    }

    private Map<String, Object> walletEntry(Session s, Card card, Boolean emailStatements) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cardId", card.id());
        m.put("maskedPan", card.maskedPan());
        m.put("cardName", card.cardName());
        m.put("programId", card.programId());
        m.put("expiry", card.expiry().toString());
        m.put("state", card.state().name());
        m.put("emailStatements", emailStatements);
        m.put("balance", balance(s, card));
        m.put("physicalCard", physicalStatus(s, card.id()));
        m.put("controls", CardControlsApi.controlsJson(issuer.controls(s, card.id()), issuer.programOf(card)));
        return m;
    }

    /** Minor units: available (what can be spent now) and ledger (posted) balance. */
    private Map<String, Object> balance(Session s, Card card) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (card.ledgerAccountId() == 0) return null;
        Balance b = s.doReturningWork(c -> ledger.balance(c, card.ledgerAccountId()));
        m.put("currency", b.currency());
        m.put("available", b.available());
        m.put("ledger", b.posted());
        m.put("fractionDigits", java.util.Currency.getInstance(b.currency()).getDefaultFractionDigits());
        return m;
    }

    private Map<String, Object> physicalStatus(Session s, long cardId) {
        Optional<PhysicalCards.Status> status = s.doReturningWork(c -> physical.status(c, cardId));
        if (status.isEmpty()) return null;
        PhysicalCards.Status st = status.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", st.state().name());
        m.put("delivery", st.delivery().name());
        m.put("requestedAt", st.requestedAt().toString());
        m.put("producedAt", st.producedAt() == null ? null : st.producedAt().toString());
        m.put("shippedAt", st.shippedAt() == null ? null : st.shippedAt().toString());
        m.put("trackingRef", st.trackingRef());
        return m;
    }

    // ---------------------------------------------------------------- reveal

    /**
     * The full number, expiry and CVV2 (computed now, never stored), after the member's password
     * again: a session left open on a shared computer must not be enough to read the card.
     * The password is checked before the card is looked up, so a wrong one tells nothing about it.
     */
    private ApiResponse reveal(ApiRequest request, WebSession session) {
        String password = passwordOf(request);
        if (!auth.recheckPassword(session, password)) throw ApiException.of(ErrorCode.PASSWORD_WRONG, "password");
        long cardId = cardIdOf(request);
        Map<String, Object> body = db.inTransaction(s -> {
            Card card = issuer.findById(s, cardId).filter(c -> holderRef(session).equals(c.holderRef()))
                    .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, null));
            String pan = issuer.revealPan(card);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cardId", card.id());
            m.put("pan", pan);
            m.put("expiry", card.expiry().toString());
            m.put("cvv2", security.cvv2(pan, card.expiry()));
            return m;
        });
        // every answer is no-store already; said again here because this one must never be cached
        return new ApiResponse(200, body, Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }

    private static String passwordOf(ApiRequest request) {
        var body = Json.object(request);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("password").contains(name)) throw ApiException.of(ErrorCode.UNKNOWN_FIELD, name);
        }
        var v = body.get("password");
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) throw ApiException.of(ErrorCode.REQUIRED, "password");
        if (!v.isTextual()) throw ApiException.of(ErrorCode.WRONG_TYPE, "password");
        return v.asText();
    }

    /** Segment 3 of /api/v1/cards/{id}/...; anything but a positive number is no card (404). */
    static long cardIdOf(ApiRequest request) {
        String id = Objects.requireNonNullElse(Router.segment(request, 3), "");
        if (!id.matches("[1-9][0-9]{0,17}")) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        return Long.parseLong(id);
    }
}
