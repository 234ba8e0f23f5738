-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay issuer: issued prepaid cards.
-- The card number is only stored encrypted (AES-256-GCM, key-version byte first) and as a keyed
-- look-up hash (HMAC-SHA256); first 6 and last 4 digits are kept in clear for masked display.
-- CVV2 and PIN are never stored: pvv is the PIN's Visa PIN verification value.
CREATE TABLE card (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    program_id        VARCHAR(32)  NOT NULL,
    pan_hash          BINARY(32)   NOT NULL,
    pan_encrypted     VARBINARY(64) NOT NULL,
    pan_first6        CHAR(6)      NOT NULL,
    pan_last4         CHAR(4)      NOT NULL,
    expiry            CHAR(4)      NOT NULL COMMENT 'YYMM, valid through the end of that month',
    state             VARCHAR(16)  NOT NULL,
    pvv               CHAR(4)      NOT NULL,
    pin_tries_wrong   INT          NOT NULL DEFAULT 0,
    card_name         VARCHAR(15)  NOT NULL,
    holder_ref        VARCHAR(64)  NULL COMMENT 'the wallet member the card belongs to',
    ledger_account_id BIGINT       NULL COMMENT 'set in the issuing transaction, after the insert',
    created_at        DATETIME(6)  NOT NULL,
    version           BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_card_pan_hash (pan_hash),
    UNIQUE KEY uk_card_ledger_account (ledger_account_id),
    KEY ix_card_holder_ref (holder_ref),
    KEY ix_card_state_expiry (state, expiry),
    CONSTRAINT ck_card_state CHECK (state IN ('ACTIVE', 'FROZEN', 'LOST', 'STOLEN', 'CLOSED', 'EXPIRED')),
    CONSTRAINT ck_card_pin_tries CHECK (pin_tries_wrong >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
