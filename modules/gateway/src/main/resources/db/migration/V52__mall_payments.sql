-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay gateway: the payments partner malls ask for over the mall API (Flows B, C), each one an
-- ISO 8583 message through the authorization transaction manager; the message key is kept so a
-- payment whose answer was lost can be repeated (0201) and found in the journal.
CREATE TABLE mall_payment (
    payment_id      VARCHAR(32)  NOT NULL,
    mall_id         VARCHAR(16)  NOT NULL,
    order_id        VARCHAR(64)  NOT NULL,
    customer_ref    VARCHAR(64)  NOT NULL,
    purchase_ref    VARCHAR(40)  NULL,
    goods           TEXT         NOT NULL,
    amount          BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    capture_mode    VARCHAR(16)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    decline_reason  VARCHAR(40)  NULL,
    response_code   CHAR(2)      NULL,
    approval_code   VARCHAR(6)   NULL,
    card_id         BIGINT       NULL,
    masked_card     VARCHAR(19)  NULL,
    captured_amount BIGINT       NOT NULL DEFAULT 0,
    refunded_amount BIGINT       NOT NULL DEFAULT 0,
    iso_acquirer    VARCHAR(11)  NOT NULL,
    iso_terminal    CHAR(8)      NOT NULL,
    iso_stan        CHAR(6)      NOT NULL,
    iso_time        CHAR(10)     NOT NULL,
    iso_mti         CHAR(4)      NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (payment_id),
    KEY ix_mall_payment_mall (mall_id, created_at),
    KEY ix_mall_payment_pending (status, created_at),
    CONSTRAINT ck_mall_payment_mode CHECK (capture_mode IN ('PURCHASE', 'AUTHORIZE')),
    CONSTRAINT ck_mall_payment_status CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'AUTHORIZED', 'CAPTURED', 'CANCELLED')),
    CONSTRAINT ck_mall_payment_amounts CHECK (amount > 0 AND captured_amount >= 0 AND refunded_amount >= 0 AND refunded_amount <= captured_amount)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What followed a payment: capture (0220), cancel (0400), refund (0200 processing code 20).
CREATE TABLE mall_payment_op (
    op_id          VARCHAR(32)  NOT NULL,
    payment_id     VARCHAR(32)  NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    amount         BIGINT       NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    response_code  CHAR(2)      NULL,
    decline_reason VARCHAR(40)  NULL,
    iso_terminal   CHAR(8)      NOT NULL,
    iso_stan       CHAR(6)      NOT NULL,
    iso_time       CHAR(10)     NOT NULL,
    iso_mti        CHAR(4)      NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (op_id),
    KEY ix_mall_payment_op_payment (payment_id, created_at),
    CONSTRAINT fk_mall_payment_op_payment FOREIGN KEY (payment_id) REFERENCES mall_payment (payment_id),
    CONSTRAINT ck_mall_payment_op_kind CHECK (kind IN ('CAPTURE', 'CANCEL', 'REFUND')),
    CONSTRAINT ck_mall_payment_op_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED'))
) ENGINE=InnoDB;

-- Webhook events to the malls: written in the transaction that changed the payment, delivered
-- afterwards with retries (an outbox), each with a stable id the mall can de-duplicate on.
CREATE TABLE mall_webhook_event (
    event_id         VARCHAR(32)  NOT NULL,
    mall_id          VARCHAR(16)  NOT NULL,
    type             VARCHAR(40)  NOT NULL,
    payload          MEDIUMBLOB   NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    attempts         INT          NOT NULL DEFAULT 0,
    last_status      INT          NULL,
    next_attempt_at  DATETIME(6)  NOT NULL,
    give_up_at       DATETIME(6)  NOT NULL,
    delivered_at     DATETIME(6)  NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (event_id),
    KEY ix_mall_webhook_due (state, next_attempt_at),
    CONSTRAINT ck_mall_webhook_state CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED'))
) ENGINE=InnoDB;
