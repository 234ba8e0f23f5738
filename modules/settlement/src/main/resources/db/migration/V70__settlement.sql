-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Clearing and settlement (org.anonpay.settlement, docs/settlement.md).
--
-- One row per merchant (acquirer + card acceptor id + currency) and business date settled: the
-- totals the settlement file shows and the ledger transfers that moved them, written in the same
-- transaction as those transfers. The primary key makes a re-run find the row instead of adding one.
CREATE TABLE settlement_batch (
    business_date      DATE         NOT NULL,
    acquirer_id        VARCHAR(11)  NOT NULL,
    merchant_id        VARCHAR(15)  NOT NULL,
    currency           CHAR(3)      NOT NULL,
    entries            INT          NOT NULL,
    gross              BIGINT       NOT NULL COMMENT 'credits to the merchant payable: purchases, completions, advices, reversed refunds',
    refunds            BIGINT       NOT NULL COMMENT 'debits of the merchant payable: refunds, reversed purchases and completions',
    fee                BIGINT       NOT NULL,
    net                BIGINT       NOT NULL COMMENT 'gross - refunds - fee: the payout (negative: the merchant owes)',
    payout_transfer_id BINARY(16)   NULL,
    fee_transfer_id    BINARY(16)   NULL,
    settled_at         TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (business_date, acquirer_id, merchant_id, currency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An authorization whose hold was released because it was not completed in time. Its journal row
-- is also marked reversed (so that a late completion or reversal finds no open hold).
CREATE TABLE authz_expiry (
    journal_id        BIGINT       NOT NULL,
    void_transfer_id  BINARY(16)   NOT NULL,
    amount            BIGINT       NOT NULL,
    expired_at        TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (journal_id)
) ENGINE=InnoDB;

-- settlement selects a business day's journal rows by the time they were written
CREATE INDEX ix_authz_journal_created ON authz_journal (created_at);
