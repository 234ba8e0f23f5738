// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

/**
 * Names of the transaction Context entries the participants share. Each participant reads and
 * writes only these. Values that hold card data ({@link #PAN}) are {@link SensitivePan}, whose
 * toString is masked, so a context dump can never print a card number.
 */
public final class Ctx {
    private Ctx() {}

    // set by the request listener
    public static final String REQUEST = "REQUEST";
    public static final String SOURCE = "SOURCE";
    public static final String RECEIVED_NANOS = "RECEIVED_NANOS";

    // CheckMessage
    public static final String TYPE = "TYPE";
    public static final String MESSAGE_KEY = "MESSAGE_KEY";
    public static final String AMOUNT = "AMOUNT";
    public static final String CURRENCY = "CURRENCY";
    public static final String PAN = "PAN";
    public static final String ORIGINAL_KEY = "ORIGINAL_KEY";

    // OpenTransaction / CommitTransaction
    public static final String DB_SESSION = "DB_SESSION";
    /** The message's place in a group commit (org.anonpay.authz.GroupCommit.Turn), when group commit is on. */
    public static final String DB_TURN = "DB_TURN";

    /**
     * Set (Boolean.TRUE) by AuthorizeInBatch when the message was decided, moved its money, was
     * journaled and committed in a batch: the per-message database steps then leave it alone.
     */
    public static final String DECIDED_IN_BATCH = "DECIDED_IN_BATCH";

    // DetectDuplicate: the journal entry whose response is answered again
    public static final String REPLAY_OF = "REPLAY_OF";

    // FindCard / FindOriginal
    /**
     * A card named by its issuer id instead of a PAN: a wallet payment's card, found by the
     * participant that matched the purchase (MISSION.md b7). FindCard takes PAN or this.
     */
    public static final String CARD_ID = "CARD_ID";
    public static final String CARD = "CARD";
    public static final String PROGRAM = "PROGRAM";
    public static final String ORIGINAL = "ORIGINAL";

    // CheckLimits: the card's approved spending of the business day (Long), summed under the card lock
    public static final String SPENT_TODAY = "SPENT_TODAY";
    // FindCard (with the card) or CheckCardControls: the member's controls of the card (org.anonpay.issuer.CardControls)
    public static final String CARD_CONTROLS = "CARD_CONTROLS";

    // money participants
    public static final String CARD_TRANSFER = "CARD_TRANSFER";
    public static final String CARD_AMOUNT = "CARD_AMOUNT";
    public static final String SHORTFALL_TRANSFER = "SHORTFALL_TRANSFER";
    public static final String SHORTFALL_AMOUNT = "SHORTFALL_AMOUNT";
    public static final String BALANCE = "BALANCE";
    public static final String APPROVAL_CODE = "APPROVAL_CODE";

    // the outcome: absent = approved so far
    public static final String DECLINE = "DECLINE";
    public static final String RESPONSE = "RESPONSE";
    public static final String JOURNAL_ENTRY = "JOURNAL_ENTRY";
}
