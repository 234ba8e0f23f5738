-- The authorization journal: one row per financial ISO 8583 message the host answered.
-- It is the source of duplicate detection (the unique message key), of reversal and completion
-- matching (field 90 names an original by the same key) and of the daily limits.
-- It never holds a full PAN, CVV2, PIN or PIN block: the card is its id and a masked PAN.
CREATE TABLE authz_journal (
    id                    BIGINT       NOT NULL AUTO_INCREMENT,
    mti                   CHAR(4)      NOT NULL,
    mti_class             CHAR(3)      NOT NULL COMMENT 'MTI without the repeat digit: 010, 012, 020, 022, 040, 042',
    txn_type              VARCHAR(24)  NOT NULL,
    processing_code       CHAR(6)      NULL,
    acquirer_id           VARCHAR(11)  NOT NULL,
    terminal_id           VARCHAR(8)   NOT NULL,
    merchant_id           VARCHAR(15)  NULL,
    stan                  CHAR(6)      NOT NULL,
    transmission_time     CHAR(10)     NOT NULL,
    rrn                   VARCHAR(12)  NULL,
    request_fingerprint   BINARY(32)   NOT NULL COMMENT 'keyed hash of type, amount, currency and card: a repeat must match it',
    card_id               BIGINT       NULL,
    pan_masked            VARCHAR(19)  NULL,
    amount                BIGINT       NOT NULL,
    currency              CHAR(3)      NULL,
    business_date         DATE         NOT NULL,
    response_code         CHAR(2)      NOT NULL,
    decline_reason        VARCHAR(40)  NULL,
    approval_code         CHAR(6)      NULL,
    additional_amounts    VARCHAR(120) NULL COMMENT 'field 54 as answered',
    card_transfer_id      BINARY(16)   NULL COMMENT 'ledger transfer that moved money on the card (or suspense)',
    card_amount           BIGINT       NOT NULL DEFAULT 0,
    shortfall_transfer_id BINARY(16)   NULL COMMENT 'advice: the part past the balance, booked to recovery',
    shortfall_amount      BIGINT       NOT NULL DEFAULT 0,
    original_id           BIGINT       NULL,
    reversed              BOOLEAN      NOT NULL DEFAULT FALSE,
    completed_amount      BIGINT       NULL,
    duration_micros       BIGINT       NOT NULL DEFAULT 0,
    created_at            TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_authz_journal_message (acquirer_id, terminal_id, stan, transmission_time, mti_class),
    KEY ix_authz_journal_card_day (card_id, business_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
