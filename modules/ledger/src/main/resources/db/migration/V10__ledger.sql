-- SPDX-License-Identifier: AGPL-3.0-or-later
--
-- The double-entry ledger (org.anonpay.ledger.Ledger). Amounts are BIGINT minor units.
--
-- Card accounts (kind CARD_PREPAID) keep running totals in their ledger_account row, locked
-- with SELECT ... FOR UPDATE per transfer: the balance guard needs them. Every other kind is a
-- "hot" account: its row is never updated or locked after it is opened (its totals stay 0), its
-- balance is summed from ledger_transfer. No foreign keys on ledger_transfer: an InnoDB foreign
-- key check takes a shared lock on the parent row, which would be a lock on the merchant row per
-- authorization; the Ledger checks that both accounts exist before it appends a transfer.

CREATE TABLE ledger_account (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    -- unique and stable, compared byte for byte ("card:42" and "Card:42" are two accounts)
    code            VARCHAR(128) COLLATE utf8mb4_bin NOT NULL,
    kind            VARCHAR(24)  NOT NULL,
    -- ISO 4217 alpha code
    currency        CHAR(3)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    debits_posted   BIGINT       NOT NULL DEFAULT 0,
    credits_posted  BIGINT       NOT NULL DEFAULT 0,
    debits_pending  BIGINT       NOT NULL DEFAULT 0,
    credits_pending BIGINT       NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_ledger_account_code (code),
    CONSTRAINT ck_ledger_account_kind CHECK (kind IN ('CARD_PREPAID', 'MERCHANT_PAYABLE',
        'FUNDING_CLEARING', 'SETTLEMENT', 'SUSPENSE', 'RECOVERY')),
    CONSTRAINT ck_ledger_account_totals_not_negative CHECK (debits_posted >= 0
        AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0),
    -- the balance guard, a second time: the Ledger checks it before it writes, the database refuses
    -- a row that breaks it anyway (both sides are non-negative, so the subtraction cannot overflow)
    CONSTRAINT ck_ledger_account_card_guard CHECK (kind <> 'CARD_PREPAID'
        OR debits_posted <= credits_posted - debits_pending),
    -- hot accounts are summed from ledger_transfer: a non-zero total in their row is a bug
    CONSTRAINT ck_ledger_account_hot_row_unused CHECK (kind = 'CARD_PREPAID'
        OR (debits_posted = 0 AND credits_posted = 0 AND debits_pending = 0 AND credits_pending = 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ledger_transfer (
    -- chosen by the caller: the idempotency key
    id                BINARY(16)   NOT NULL,
    kind              VARCHAR(16)  NOT NULL,
    debit_account_id  BIGINT       NOT NULL,
    credit_account_id BIGINT       NOT NULL,
    -- PENDING: the amount held; POST_PENDING: the amount posted; VOID_PENDING: as submitted
    amount            BIGINT       NOT NULL,
    -- the PENDING transfer that a POST_PENDING or VOID_PENDING resolves
    pending_id        BINARY(16)   NULL,
    code              VARCHAR(32)  NOT NULL,
    reference         VARCHAR(255) NOT NULL,
    -- PENDING transfers only: PENDING, then POSTED or VOIDED (the one column ever updated)
    state             VARCHAR(8)   NULL,
    created_at        DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    -- covering indexes: a hot account's balance is an index-only scan of its own entries
    KEY ix_ledger_transfer_debit (debit_account_id, kind, state, amount),
    KEY ix_ledger_transfer_credit (credit_account_id, kind, state, amount),
    CONSTRAINT ck_ledger_transfer_kind CHECK (kind IN ('SINGLE_PHASE', 'PENDING', 'POST_PENDING', 'VOID_PENDING')),
    CONSTRAINT ck_ledger_transfer_amount_not_negative CHECK (amount >= 0),
    CONSTRAINT ck_ledger_transfer_accounts_different CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT ck_ledger_transfer_pending_id CHECK ((kind IN ('POST_PENDING', 'VOID_PENDING')) = (pending_id IS NOT NULL)),
    CONSTRAINT ck_ledger_transfer_state CHECK ((kind = 'PENDING') = (state IS NOT NULL)
        AND (state IS NULL OR state IN ('PENDING', 'POSTED', 'VOIDED')))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
