// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * An issued card (table {@code card}). The PAN itself is only stored encrypted
 * ({@link CardVault}); the card is found by its look-up hash. CVV2 and PIN are never stored,
 * only the PIN's Visa PVV. Only {@link CardIssuer} changes a card.
 */
@Entity
@Table(name = "card")
public class Card {

    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("yyMM");

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "program_id", nullable = false, length = 32)
    private String programId;

    @Column(name = "pan_hash", nullable = false, updatable = false, length = 32)
    private byte[] panHash;

    @Column(name = "pan_encrypted", nullable = false, length = 64)
    private byte[] panEncrypted;

    @Column(name = "pan_first6", nullable = false, updatable = false, length = 6)
    private String panFirst6;

    @Column(name = "pan_last4", nullable = false, updatable = false, length = 4)
    private String panLast4;

    /** YYMM, as on the card and in ISO 8583 field 14. */
    @Column(name = "expiry", nullable = false, updatable = false, length = 4)
    private String expiryYymm;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    private CardState state;

    @Column(name = "pvv", nullable = false, length = 4)
    private String pvv;

    @Column(name = "pin_tries_wrong", nullable = false)
    private int pinTriesWrong;

    @Column(name = "card_name", nullable = false, length = 15)
    private String cardName;

    @Column(name = "holder_ref", length = 64)
    private String holderRef;

    /** Set in the issuing transaction right after the insert: the ledger account code needs the card id. */
    @Column(name = "ledger_account_id")
    private Long ledgerAccountId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For Hibernate. */
    protected Card() {}

    Card(String programId, byte[] panHash, byte[] panEncrypted, String maskedPanSource, YearMonth expiry,
         String pvv, String cardName, String holderRef, Instant createdAt) {
        this.programId = Objects.requireNonNull(programId);
        this.panHash = panHash.clone();
        this.panEncrypted = panEncrypted.clone();
        this.panFirst6 = maskedPanSource.substring(0, 6);
        this.panLast4 = maskedPanSource.substring(maskedPanSource.length() - 4);
        this.expiryYymm = expiry.format(YYMM);
        this.state = CardState.ACTIVE;
        this.pvv = Objects.requireNonNull(pvv);
        this.cardName = Objects.requireNonNull(cardName);
        this.holderRef = holderRef;
        this.createdAt = Objects.requireNonNull(createdAt);
    }

    /** A card row as read with plain JDBC ({@link CardRows}). */
    record Row(long id, String programId, byte[] panHash, byte[] panEncrypted, String panFirst6, String panLast4,
               String expiryYymm, CardState state, String pvv, int pinTriesWrong, String cardName, String holderRef,
               Long ledgerAccountId, Instant createdAt, long version) {}

    /** The card of a row read without Hibernate: not managed by any session (changes are not flushed). */
    static Card stored(Row row) {
        Card card = new Card();
        card.id = row.id();
        card.programId = row.programId();
        card.panHash = row.panHash();
        card.panEncrypted = row.panEncrypted();
        card.panFirst6 = row.panFirst6();
        card.panLast4 = row.panLast4();
        card.expiryYymm = row.expiryYymm();
        card.state = row.state();
        card.pvv = row.pvv();
        card.pinTriesWrong = row.pinTriesWrong();
        card.cardName = row.cardName();
        card.holderRef = row.holderRef();
        card.ledgerAccountId = row.ledgerAccountId();
        card.createdAt = row.createdAt();
        card.version = row.version();
        return card;
    }

    public long id() {
        return id == null ? 0 : id;
    }

    public String programId() {
        return programId;
    }

    /** HMAC-SHA256 of the PAN under the vault's look-up key. */
    public byte[] panHash() {
        return panHash.clone();
    }

    byte[] panEncrypted() {
        return panEncrypted;
    }

    /** First 6 + {@code ******} + last 4: all of the card number that may be shown or logged. */
    public String maskedPan() {
        return panFirst6 + "******" + panLast4;
    }

    public String panFirst6() {
        return panFirst6;
    }

    public String panLast4() {
        return panLast4;
    }

    /** The card is valid through the last day of this month. */
    public YearMonth expiry() {
        return YearMonth.parse(expiryYymm, YYMM);
    }

    /** YYMM, as in ISO 8583 field 14. */
    public String expiryYymm() {
        return expiryYymm;
    }

    public CardState state() {
        return state;
    }

    String pvv() {
        return pvv;
    }

    /** Wrong PINs in a row since the last correct PIN or unblock. */
    public int pinTriesWrong() {
        return pinTriesWrong;
    }

    public String cardName() {
        return cardName;
    }

    /** The wallet's reference to the cardholder (member), or null. */
    public String holderRef() {
        return holderRef;
    }

    /** The card's CARD_PREPAID account in the ledger (0 only inside the issuing transaction). */
    public long ledgerAccountId() {
        return ledgerAccountId == null ? 0 : ledgerAccountId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public long version() {
        return version;
    }

    void changeState(CardState to) {
        state = to;
    }

    /** A new PIN: its PVV, and a clean slate of wrong tries (the old PIN's mistakes do not count against the new one). */
    void changePvv(String newPvv) {
        pvv = Objects.requireNonNull(newPvv);
        pinTriesWrong = 0;
    }

    void countWrongPin() {
        pinTriesWrong++;
    }

    void resetPinTries() {
        pinTriesWrong = 0;
    }

    void linkLedgerAccount(long accountId) {
        assert ledgerAccountId == null : "a card has one ledger account";
        ledgerAccountId = accountId;
    }

    @Override
    public String toString() {
        return "Card[id=" + id + ", " + maskedPan() + ", program=" + programId + ", state=" + state + "]";
    }
}
