// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.anonpay.ledger.Account;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.hibernate.Session;

/**
 * The prepaid-card issuer: issues cards, finds them by card number, keeps their state and
 * checks PIN and CVV2. Every method works in the caller's Hibernate session and transaction,
 * so that an authorization changes the card and moves the money in one commit.
 */
public final class CardIssuer {

    /** Random draws of a card number before giving up on a (nearly) full BIN range. */
    static final int PAN_DRAWS = 16;
    static final int CARD_NAME_MAX_CHARS = 15;
    static final int HOLDER_REF_MAX_CHARS = 64;
    static final String LEDGER_CODE_PREFIX = "card:";

    private final Supplier<CardPrograms> programs;
    private final CardSecurity security;
    private final CardVault vault;
    private final Ledger ledger;
    private final Clock clock;
    // card numbers must not be guessable from one another
    private final RandomGenerator random = new SecureRandom();

    /** An issuer for a fixed set of card programs. */
    public CardIssuer(CardPrograms programs, CardSecurity security, CardVault vault, Ledger ledger) {
        this(constant(programs), security, vault, ledger, Clock.systemDefaultZone());
    }

    /** An issuer that always uses the programs in force, e.g. {@code CardProgramService::current}. */
    public CardIssuer(Supplier<CardPrograms> programs, CardSecurity security, CardVault vault, Ledger ledger) {
        this(programs, security, vault, ledger, Clock.systemDefaultZone());
    }

    CardIssuer(Supplier<CardPrograms> programs, CardSecurity security, CardVault vault, Ledger ledger, Clock clock) {
        this.programs = Objects.requireNonNull(programs, "programs");
        this.security = Objects.requireNonNull(security, "security");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Supplier<CardPrograms> constant(CardPrograms programs) {
        Objects.requireNonNull(programs, "programs");
        return () -> programs;
    }

    // ---------------------------------------------------------------- issuance

    /**
     * Issues a card in the caller's transaction: card number, expiry, PVV of the PIN, the card
     * row and its CARD_PREPAID ledger account ("card:&lt;id&gt;", the program's currency).
     * Wipes {@code request.pin()} in every case. The result carries the CVV2 for one showing.
     */
    public IssueResult issue(Session session, IssueRequest request) {
        try {
            return issueChecked(session, request);
        } finally {
            Arrays.fill(request.pin(), '\0');
        }
    }

    private IssueResult issueChecked(Session session, IssueRequest request) {
        Optional<CardProgram> found = programs.get().byId(request.programId());
        if (found.isEmpty()) return IssueResult.refused(IssueStatus.UNKNOWN_PROGRAM);
        CardProgram program = found.get();
        IssueStatus invalid = validate(request);
        if (invalid != null) return IssueResult.refused(invalid);
        YearMonth expiry = request.requestedExpiry() != null ? request.requestedExpiry()
                : YearMonth.now(clock).plusMonths(program.validityMonths());
        if (expiry.isBefore(YearMonth.now(clock))) return IssueResult.refused(IssueStatus.EXPIRY_IN_PAST);
        PanChoice choice = request.requestedPan() != null ? requestedPan(session, program, request.requestedPan())
                : freshPan(session, program);
        if (choice.refusal() != null) return IssueResult.refused(choice.refusal());
        return create(session, program, request, choice.pan(), expiry);
    }

    private IssueResult create(Session session, CardProgram program, IssueRequest request, String pan, YearMonth expiry) {
        String pvv = security.pvv(pan, request.pin());
        Card card = new Card(program.id(), vault.lookupHash(pan), vault.encrypt(pan), pan, expiry, pvv,
                request.cardName().strip(), request.holderRef(), clock.instant());
        // IDENTITY: the insert happens here, so the id exists for the ledger account's code
        session.persist(card);
        Account account = session.doReturningWork(c ->
                ledger.openAccount(c, AccountKind.CARD_PREPAID, LEDGER_CODE_PREFIX + card.id(), program.currencyCode()));
        card.linkLedgerAccount(account.id());
        session.flush();
        return IssueResult.issued(card, pan, security.cvv2(pan, expiry));
    }

    private static IssueStatus validate(IssueRequest request) {
        if (!validCardName(request.cardName())) return IssueStatus.INVALID_CARD_NAME;
        char[] pin = request.pin();
        if (pin.length != CardSecurity.PIN_LENGTH || !allDigits(pin)) return IssueStatus.INVALID_PIN;
        String holderRef = request.holderRef();
        if (holderRef != null && (holderRef.isBlank() || holderRef.length() > HOLDER_REF_MAX_CHARS)) return IssueStatus.INVALID_HOLDER_REF;
        return null;
    }

    static boolean validCardName(String name) {
        if (name == null || name.isBlank()) return false;
        String stripped = name.strip();
        // VARCHAR(15) in utf8mb4 counts code points, not UTF-16 units
        return stripped.codePointCount(0, stripped.length()) <= CARD_NAME_MAX_CHARS
                && stripped.codePoints().noneMatch(Character::isISOControl);
    }

    private static boolean allDigits(char[] pin) {
        for (char c : pin) {
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private record PanChoice(String pan, IssueStatus refusal) {}

    private PanChoice requestedPan(Session session, CardProgram program, String pan) {
        if (!program.covers(pan) || !Luhn.allDigits(pan)) return new PanChoice(null, IssueStatus.PAN_OUTSIDE_PROGRAM);
        if (!Luhn.luhnValid(pan)) return new PanChoice(null, IssueStatus.PAN_NOT_LUHN_VALID);
        if (exists(session, pan)) return new PanChoice(null, IssueStatus.PAN_ALREADY_ISSUED);
        return new PanChoice(pan, null);
    }

    /**
     * A random unused card number of the program. Two issuers drawing the same number at the same
     * moment is guarded by the unique pan_hash: one of the transactions fails and is retried.
     */
    private PanChoice freshPan(Session session, CardProgram program) {
        for (int draw = 0; draw < PAN_DRAWS; draw++) {
            String pan = randomPan(program);
            if (!exists(session, pan)) return new PanChoice(pan, null);
        }
        return new PanChoice(null, IssueStatus.NO_FREE_PAN);
    }

    String randomPan(CardProgram program) {
        StringBuilder pan = new StringBuilder(program.panLength());
        pan.append(program.binRange().randomPrefix(random));
        while (pan.length() < program.panLength() - 1) {
            pan.append((char) ('0' + random.nextInt(10)));
        }
        return pan.append(Luhn.luhnCheckDigit(pan.toString())).toString();
    }

    private boolean exists(Session session, String pan) {
        return session.createSelectionQuery("select c.id from Card c where c.panHash = :hash", Long.class)
                .setParameter("hash", vault.lookupHash(pan))
                .uniqueResultOptional().isPresent();
    }

    // ---------------------------------------------------------------- finding cards

    /** The card with this number, found by its look-up hash. */
    public Optional<Card> findByPan(Session session, String pan) {
        if (!plausiblePan(pan)) return Optional.empty();
        return session.createSelectionQuery("from Card c where c.panHash = :hash", Card.class)
                .setParameter("hash", vault.lookupHash(pan))
                .uniqueResultOptional();
    }

    /** As {@link #findByPan}, with the card row locked (SELECT ... FOR UPDATE) until the transaction ends. */
    public Optional<Card> lockByPan(Session session, String pan) {
        if (!plausiblePan(pan)) return Optional.empty();
        return lock(session, "pan_hash", vault.lookupHash(pan));
    }

    /**
     * Locks the card row with plain {@code SELECT ... FOR UPDATE} and returns the managed card in
     * its locked state. Not Hibernate's PESSIMISTIC_WRITE: its MySQL dialect writes
     * {@code FOR UPDATE OF <alias>}, which MariaDB (the embedded database) does not accept.
     * The version read under the lock tells whether a card this session had loaded before is stale.
     */
    private static Optional<Card> lock(Session session, String column, Object value) {
        assert column.equals("id") || column.equals("pan_hash");
        if (!holdsCards(session)) {
            // no card of this session can be stale: one statement reads and locks the row (every
            // authorization comes here with a fresh session, so this is the hot path)
            return session.createNativeQuery("SELECT * FROM card WHERE " + column + " = :value FOR UPDATE", Card.class)
                    .setParameter("value", value)
                    .uniqueResultOptional();
        }
        List<Object[]> rows = session.createNativeQuery("SELECT id, version FROM card WHERE " + column + " = :value FOR UPDATE", Object[].class)
                .setParameter("value", value)
                .getResultList();
        if (rows.isEmpty()) return Optional.empty();
        long id = ((Number) rows.get(0)[0]).longValue();
        long lockedVersion = ((Number) rows.get(0)[1]).longValue();
        Card card = session.find(Card.class, id);
        if (card.version() != lockedVersion) session.refresh(card);
        return Optional.of(card);
    }

    /** Whether the session has loaded a card already (which a locking read would not refresh). */
    private static boolean holdsCards(Session session) {
        for (Object key : session.getStatistics().getEntityKeys()) {
            if (((org.hibernate.engine.spi.EntityKey) key).getEntityName().equals(Card.class.getName())) return true;
        }
        return false;
    }

    /**
     * The card with this number and its member controls, the card row locked until the transaction
     * ends: the authorization path's read, one statement ({@link CardRows}). The card is not
     * managed by the session unless the session held it already; pass the session to
     * {@link #checkPin}, which then writes the wrong-PIN count itself.
     */
    public Optional<LockedCard> lockForAuthorization(Session session, String pan) {
        if (!plausiblePan(pan)) return Optional.empty();
        byte[] panHash = vault.lookupHash(pan);
        if (holdsCards(session)) return lock(session, "pan_hash", panHash).map(card -> withControls(session, card));
        return session.doReturningWork(c -> CardRows.lockByPanHash(c, panHash));
    }

    /**
     * The batch form of {@link #lockForAuthorization(Session, String)}: the cards of these numbers
     * with their member controls, every card row locked until the transaction ends, in one statement
     * (InnoDB locks them in the order of the look-up hash index, the same for every batch). By PAN as
     * given; a number with no card (or not plausible) is absent. The cards are not managed by any
     * session: use {@link #checkPin(java.sql.Connection, Card, String, byte[])} on this connection.
     */
    public java.util.Map<String, LockedCard> lockAllForAuthorization(java.sql.Connection c, java.util.Collection<String> pans)
            throws java.sql.SQLException {
        java.util.Map<String, String> panByHash = new java.util.HashMap<>();
        for (String pan : pans) {
            if (plausiblePan(pan)) panByHash.put(java.util.HexFormat.of().formatHex(vault.lookupHash(pan)), pan);
        }
        java.util.Map<String, LockedCard> byPan = new java.util.HashMap<>();
        for (LockedCard locked : CardRows.lockAllByPanHash(c, panByHash.keySet())) {
            byPan.put(panByHash.get(java.util.HexFormat.of().formatHex(locked.card().panHash())), locked);
        }
        return byPan;
    }

    /** As {@link #lockForAuthorization(Session, String)}, by card id (a matched wallet payment names the card). */
    public Optional<LockedCard> lockForAuthorization(Session session, long cardId) {
        if (holdsCards(session)) return lock(session, "id", cardId).map(card -> withControls(session, card));
        return session.doReturningWork(c -> CardRows.byId(c, CardRows.LOCK_BY_ID, cardId));
    }

    /**
     * The card, read without a lock and without Hibernate (not managed by the session): for steps
     * that only look at a card, such as the card of an original authorization.
     */
    public Optional<Card> readCard(Session session, long cardId) {
        if (holdsCards(session)) return findById(session, cardId);
        return session.doReturningWork(c -> CardRows.byId(c, CardRows.READ_BY_ID, cardId)).map(LockedCard::card);
    }

    /**
     * The batch form of {@link #readCard}, on the caller's connection: the cards of these ids, read
     * without a lock, by id (an id with no card is absent); one statement.
     */
    public java.util.Map<Long, Card> readCards(java.sql.Connection c, java.util.Collection<Long> cardIds) throws java.sql.SQLException {
        java.util.Map<Long, Card> byId = new java.util.HashMap<>();
        for (LockedCard read : CardRows.readAllById(c, cardIds)) byId.put(read.card().id(), read.card());
        return byId;
    }

    private LockedCard withControls(Session session, Card card) {
        return new LockedCard(card, controls(session, card.id()));
    }

    /** As {@link #findById}, with the card row locked (SELECT ... FOR UPDATE) until the transaction ends. */
    public Optional<Card> lockById(Session session, long cardId) {
        return lock(session, "id", cardId);
    }

    public Optional<Card> findById(Session session, long cardId) {
        return Optional.ofNullable(session.find(Card.class, cardId));
    }

    private static boolean plausiblePan(String pan) {
        return pan != null && pan.length() >= 12 && pan.length() <= 19 && Luhn.allDigits(pan);
    }

    /** The program of the card, if it is still configured. */
    public Optional<CardProgram> programOf(Card card) {
        return programs.get().byId(card.programId());
    }

    /** The card number, decrypted: only for showing it to its authenticated cardholder. */
    public String revealPan(Card card) {
        return vault.decrypt(card.panEncrypted());
    }

    // ---------------------------------------------------------------- state

    /** Moves the card (locked for the change) to {@code to} if its life cycle allows it. */
    public StateChange changeState(Session session, long cardId, CardState to) {
        Objects.requireNonNull(to, "to");
        Card card = lock(session, "id", cardId).orElse(null);
        if (card == null) return StateChange.CARD_NOT_FOUND;
        StateChange change = card.state().changeTo(to);
        if (change == StateChange.CHANGED) card.changeState(to);
        return change;
    }

    /**
     * Marks ACTIVE and FROZEN cards whose expiry month is before {@code currentMonth} EXPIRED
     * (a daily job). Returns how many cards changed.
     */
    public int expireCards(Session session, YearMonth currentMonth) {
        // YYMM strings order like the dates as long as every card expires in the same century
        return session.createMutationQuery("update Card c set c.state = :expired, c.version = c.version + 1 "
                        + "where c.state in (:live) and c.expiryYymm < :month")
                .setParameter("expired", CardState.EXPIRED)
                .setParameterList("live", List.of(CardState.ACTIVE, CardState.FROZEN))
                .setParameter("month", currentMonth.format(java.time.format.DateTimeFormatter.ofPattern("yyMM")))
                .executeUpdate();
    }

    // ---------------------------------------------------------------- member controls

    /**
     * The member's controls of the card ({@link CardControls#DEFAULTS} until first set). Read in
     * the caller's transaction; an authorization reads them after locking the card, so a change
     * made by {@link #setControls} (which locks it too) is either wholly before or after it.
     */
    public CardControls controls(Session session, long cardId) {
        CardControlRow row = session.find(CardControlRow.class, cardId);
        return row == null ? CardControls.DEFAULTS : row.controls();
    }

    /**
     * Replaces the card's controls after checking them against its program: every member limit
     * at least 1 and at most the program's limit of the same kind, the per-transaction limit not
     * above the daily one. Anything but CHANGED leaves the stored controls as they were.
     */
    public ControlsChange setControls(Session session, long cardId, CardControls controls) {
        Objects.requireNonNull(controls, "controls");
        Card card = lock(session, "id", cardId).orElse(null);
        if (card == null) return ControlsChange.CARD_NOT_FOUND;
        if (!changeable(card)) return ControlsChange.CARD_NOT_CHANGEABLE;
        Optional<CardProgram> program = programOf(card);
        if (program.isEmpty()) return ControlsChange.PROGRAM_UNKNOWN;
        ControlsChange invalid = validate(controls, program.get());
        if (invalid != null) return invalid;
        CardControlRow row = session.find(CardControlRow.class, cardId);
        if (row == null) {
            row = new CardControlRow(cardId);
            row.set(controls, clock.instant());
            session.persist(row);
        } else {
            row.set(controls, clock.instant());
        }
        return ControlsChange.CHANGED;
    }

    private static ControlsChange validate(CardControls c, CardProgram program) {
        Long perTransaction = c.limitPerTransaction();
        Long daily = c.limitDaily();
        if ((perTransaction != null && perTransaction < 1) || (daily != null && daily < 1)) return ControlsChange.LIMIT_NOT_POSITIVE;
        if (perTransaction != null && perTransaction > program.limitPerTransaction()) return ControlsChange.TRANSACTION_LIMIT_ABOVE_PROGRAM;
        if (daily != null && daily > program.limitDaily()) return ControlsChange.DAILY_LIMIT_ABOVE_PROGRAM;
        if (perTransaction != null && daily != null && perTransaction > daily) return ControlsChange.TRANSACTION_LIMIT_ABOVE_DAILY;
        return null;
    }

    /** ACTIVE and FROZEN cards may be used again; the others are final or only close. */
    private static boolean changeable(Card card) {
        return card.state() == CardState.ACTIVE || card.state() == CardState.FROZEN;
    }

    // ---------------------------------------------------------------- PIN and CVV2

    /**
     * Checks an ISO 9564 format 0 PIN block (under the zone PIN key) against the card, which the
     * caller has locked ({@link #lockForAuthorization}, {@link #lockByPan}) and whose changes it commits even when it declines:
     * wrong PINs are counted on the card. The wrong PIN that reaches the program's limit
     * (3 by default) blocks PIN use: this and every later try is TRIES_EXCEEDED, whatever the PIN,
     * until {@link #unblockPin}. A correct PIN resets the count. A changed count is written in the
     * session's transaction: by Hibernate's flush for a card the session manages, with one UPDATE
     * for a card from {@link #lockForAuthorization} that it does not.
     */
    public PinCheck checkPin(Session session, Card lockedCard, String pan, byte[] pinBlock) {
        if (session.contains(lockedCard)) return checkPin(lockedCard, pan, pinBlock); // written by the flush
        return session.doReturningWork(c -> checkPin(c, lockedCard, pan, pinBlock));
    }

    /**
     * As {@link #checkPin(Session, Card, String, byte[])} for a card from
     * {@link #lockAllForAuthorization}: a changed wrong-PIN count is written on {@code c}.
     */
    public PinCheck checkPin(java.sql.Connection c, Card lockedCard, String pan, byte[] pinBlock) throws java.sql.SQLException {
        int triesBefore = lockedCard.pinTriesWrong();
        PinCheck result = checkPin(lockedCard, pan, pinBlock);
        if (lockedCard.pinTriesWrong() != triesBefore) CardRows.writePinTries(c, lockedCard);
        return result;
    }

    private PinCheck checkPin(Card lockedCard, String pan, byte[] pinBlock) {
        assert Arrays.equals(lockedCard.panHash(), vault.lookupHash(pan)) : "the PAN is the card's";
        int triesMax = programOf(lockedCard).map(CardProgram::pinTriesMax).orElse(CardProgram.DEFAULT_PIN_TRIES_MAX);
        if (lockedCard.pinTriesWrong() >= triesMax) return PinCheck.TRIES_EXCEEDED;
        return switch (security.verifyPinBlock(pan, pinBlock, lockedCard.pvv())) {
            case VERIFIED -> {
                lockedCard.resetPinTries();
                yield PinCheck.VERIFIED;
            }
            case WRONG_PIN -> {
                lockedCard.countWrongPin();
                yield lockedCard.pinTriesWrong() >= triesMax ? PinCheck.TRIES_EXCEEDED : PinCheck.WRONG_PIN;
            }
            case FORMAT_ERROR -> PinCheck.FORMAT_ERROR;
        };
    }

    /** True when wrong PINs have blocked PIN use on the card. */
    public boolean pinBlocked(Card card) {
        int triesMax = programOf(card).map(CardProgram::pinTriesMax).orElse(CardProgram.DEFAULT_PIN_TRIES_MAX);
        return card.pinTriesWrong() >= triesMax;
    }

    /**
     * Allows PIN use again after too many wrong PINs (ops, after identifying the cardholder).
     *
     * @throws IllegalArgumentException when there is no such card
     */
    public void unblockPin(Session session, long cardId) {
        Card card = lock(session, "id", cardId)
                .orElseThrow(() -> new IllegalArgumentException("no card with id " + cardId));
        card.resetPinTries();
    }

    /**
     * Gives the card a new PIN: a new PVV, and the wrong-PIN count reset (a new PIN also unblocks
     * PIN use: the member proved who they are to the wallet). Wipes {@code newPin} in every case;
     * the PIN is never logged or kept.
     */
    public PinChange changePin(Session session, long cardId, char[] newPin) {
        try {
            if (newPin == null || newPin.length != CardSecurity.PIN_LENGTH || !allDigits(newPin)) return PinChange.INVALID_PIN;
            Card card = lock(session, "id", cardId).orElse(null);
            if (card == null) return PinChange.CARD_NOT_FOUND;
            if (!changeable(card)) return PinChange.CARD_NOT_CHANGEABLE;
            card.changePvv(security.pvv(vault.decrypt(card.panEncrypted()), newPin));
            return PinChange.CHANGED;
        } finally {
            if (newPin != null) Arrays.fill(newPin, '\0');
        }
    }

    /** True when {@code cvv2} is the CVV2 of the card ({@code pan} is the card's number). */
    public boolean checkCvv2(Card card, String pan, String cvv2) {
        assert Arrays.equals(card.panHash(), vault.lookupHash(pan)) : "the PAN is the card's";
        return security.verifyCvv2(pan, card.expiry(), cvv2);
    }
}
