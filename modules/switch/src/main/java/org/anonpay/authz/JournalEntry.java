// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One answered financial message (table authz_journal, see V30__authorization_journal.sql).
 * Holds no card data beyond the masked PAN.
 */
@Entity
@Table(name = "authz_journal")
public class JournalEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false) private String mti;
    @Column(name = "mti_class", nullable = false) private String mtiClass;
    @Enumerated(EnumType.STRING) @Column(name = "txn_type", nullable = false) private TransactionType type;
    @Column(name = "processing_code") private String processingCode;
    @Column(name = "acquirer_id", nullable = false) private String acquirerId;
    @Column(name = "terminal_id", nullable = false) private String terminalId;
    @Column(name = "merchant_id") private String merchantId;
    @Column(name = "merchant_name") private String merchantName;
    @Column(nullable = false) private String stan;
    @Column(name = "transmission_time", nullable = false) private String transmissionTime;
    private String rrn;
    @Column(name = "request_fingerprint", nullable = false) private byte[] requestFingerprint;
    @Column(name = "card_id") private Long cardId;
    @Column(name = "pan_masked") private String panMasked;
    @Column(nullable = false) private long amount;
    private String currency;
    @Column(name = "business_date", nullable = false) private LocalDate businessDate;
    @Column(name = "response_code", nullable = false) private String responseCode;
    @Enumerated(EnumType.STRING) @Column(name = "decline_reason") private Decline declineReason;
    @Column(name = "approval_code") private String approvalCode;
    @Column(name = "additional_amounts") private String additionalAmounts;
    @Column(name = "card_transfer_id") private byte[] cardTransferId;
    @Column(name = "card_amount", nullable = false) private long cardAmount;
    @Column(name = "shortfall_transfer_id") private byte[] shortfallTransferId;
    @Column(name = "shortfall_amount", nullable = false) private long shortfallAmount;
    @Column(name = "original_id") private Long originalId;
    @Column(nullable = false) private boolean reversed;
    @Column(name = "completed_amount") private Long completedAmount;
    @Column(name = "duration_micros", nullable = false) private long durationMicros;
    @Column(name = "created_at", nullable = false) private Instant createdAt;

    protected JournalEntry() {}

    public JournalEntry(String mti, TransactionType type, MessageKey key) {
        this.mti = mti;
        this.mtiClass = key.mtiClass();
        this.type = type;
        this.acquirerId = key.acquirerId();
        this.terminalId = key.terminalId();
        this.stan = key.stan();
        this.transmissionTime = key.transmissionTime();
        // created_at is TIMESTAMP(6): an entry read back must equal the one written, not a rounding of it
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * An entry as {@link JournalStore} read it: a plain object, not managed by any session, so a
     * change to it is written only by {@link Journal#markReversed} / {@link Journal#markCompleted}.
     */
    static JournalEntry fromRow(ResultSet rs) throws SQLException {
        JournalEntry e = new JournalEntry();
        e.id = rs.getLong("id");
        e.mti = rs.getString("mti");
        e.mtiClass = rs.getString("mti_class");
        e.type = TransactionType.valueOf(rs.getString("txn_type"));
        e.processingCode = rs.getString("processing_code");
        e.acquirerId = rs.getString("acquirer_id");
        e.terminalId = rs.getString("terminal_id");
        e.merchantId = rs.getString("merchant_id");
        e.merchantName = rs.getString("merchant_name");
        e.stan = rs.getString("stan");
        e.transmissionTime = rs.getString("transmission_time");
        e.rrn = rs.getString("rrn");
        e.requestFingerprint = rs.getBytes("request_fingerprint");
        e.cardId = nullableLong(rs, "card_id");
        e.panMasked = rs.getString("pan_masked");
        e.amount = rs.getLong("amount");
        e.currency = rs.getString("currency");
        e.businessDate = rs.getObject("business_date", LocalDate.class);
        e.responseCode = rs.getString("response_code");
        String reason = rs.getString("decline_reason");
        e.declineReason = reason == null ? null : Decline.valueOf(reason);
        e.approvalCode = rs.getString("approval_code");
        e.additionalAmounts = rs.getString("additional_amounts");
        e.cardTransferId = rs.getBytes("card_transfer_id");
        e.cardAmount = rs.getLong("card_amount");
        e.shortfallTransferId = rs.getBytes("shortfall_transfer_id");
        e.shortfallAmount = rs.getLong("shortfall_amount");
        e.originalId = nullableLong(rs, "original_id");
        e.reversed = rs.getBoolean("reversed");
        e.completedAmount = nullableLong(rs, "completed_amount");
        e.durationMicros = rs.getLong("duration_micros");
        e.createdAt = rs.getTimestamp("created_at", JournalStore.utcCalendar()).toInstant();
        return e;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The id the database generated for this entry when {@link JournalStore} inserted it. */
    void assignId(long id) {
        if (this.id != null) throw new IllegalStateException("journal entry " + this.id + " is stored already");
        this.id = id;
    }

    public Long id() { return id; }
    public String mti() { return mti; }
    public TransactionType type() { return type; }
    public String processingCode() { return processingCode; }
    public MessageKey key() { return new MessageKey(acquirerId, terminalId, stan, transmissionTime, mtiClass); }
    public String merchantId() { return merchantId; }
    String rrn() { return rrn; }
    long durationMicros() { return durationMicros; }
    /** Field 43 (card acceptor name/location), trimmed, or null. */
    public String merchantName() { return merchantName; }
    public Instant createdAt() { return createdAt; }
    public byte[] requestFingerprint() { return requestFingerprint.clone(); }
    public Long cardId() { return cardId; }
    public String panMasked() { return panMasked; }
    public long amount() { return amount; }
    public String currency() { return currency; }
    public LocalDate businessDate() { return businessDate; }
    public String responseCode() { return responseCode; }
    public Decline declineReason() { return declineReason; }
    public String approvalCode() { return approvalCode; }
    public String additionalAmounts() { return additionalAmounts; }
    public byte[] cardTransferId() { return cardTransferId == null ? null : cardTransferId.clone(); }
    public long cardAmount() { return cardAmount; }
    public byte[] shortfallTransferId() { return shortfallTransferId == null ? null : shortfallTransferId.clone(); }
    public long shortfallAmount() { return shortfallAmount; }
    public Long originalId() { return originalId; }
    public boolean reversed() { return reversed; }
    public Long completedAmount() { return completedAmount; }
    public boolean approved() { return Decline.APPROVED.equals(responseCode); }

    public JournalEntry request(String processingCode, String merchantId, String rrn, byte[] fingerprint) {
        this.processingCode = processingCode;
        this.merchantId = merchantId;
        this.rrn = rrn;
        this.requestFingerprint = fingerprint.clone();
        return this;
    }

    /** Field 43 as the terminal sent it: blank is none, padding is dropped, at most its 40 characters. */
    public JournalEntry merchantName(String nameLocation) {
        String trimmed = nameLocation == null ? "" : nameLocation.strip();
        this.merchantName = trimmed.isEmpty() ? null : trimmed.substring(0, Math.min(trimmed.length(), 40));
        return this;
    }

    public JournalEntry money(long amount, String currency, LocalDate businessDate) {
        this.amount = amount;
        this.currency = currency;
        this.businessDate = businessDate;
        return this;
    }

    public JournalEntry card(Long cardId, String panMasked) {
        this.cardId = cardId;
        this.panMasked = panMasked;
        return this;
    }

    public JournalEntry outcome(String responseCode, Decline reason, String approvalCode, String additionalAmounts) {
        this.responseCode = responseCode;
        this.declineReason = reason;
        this.approvalCode = approvalCode;
        this.additionalAmounts = additionalAmounts;
        return this;
    }

    public JournalEntry transfers(byte[] cardTransferId, long cardAmount, byte[] shortfallTransferId, long shortfallAmount) {
        this.cardTransferId = cardTransferId;
        this.cardAmount = cardAmount;
        this.shortfallTransferId = shortfallTransferId;
        this.shortfallAmount = shortfallAmount;
        return this;
    }

    public JournalEntry original(Long originalId) {
        this.originalId = originalId;
        return this;
    }

    public JournalEntry took(long durationMicros) {
        this.durationMicros = durationMicros;
        return this;
    }

    public void markReversed() {
        this.reversed = true;
    }

    public void markCompleted(long amount) {
        this.completedAmount = amount;
    }
}
