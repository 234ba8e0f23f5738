-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay gateway: purchase data the wallet keeps for a mall's approval request (patent b5), matched
-- against that request before the issuer is asked (b7).
CREATE TABLE wallet_purchase (
    reference     VARCHAR(40)   NOT NULL,
    mall_id       VARCHAR(16)   NOT NULL,
    customer_ref  VARCHAR(64)   NOT NULL,
    order_id      VARCHAR(64)   NOT NULL,
    goods         TEXT          NOT NULL,
    goods_digest  BINARY(32)    NOT NULL,
    total         BIGINT        NOT NULL,
    currency      CHAR(3)       NOT NULL,
    card_id       BIGINT        NOT NULL,
    member_ref    BIGINT        NOT NULL,
    state         VARCHAR(16)   NOT NULL,
    payment_ref   VARCHAR(80)   NULL,
    created_at    DATETIME(6)   NOT NULL,
    expires_at    DATETIME(6)   NOT NULL,
    paid_at       DATETIME(6)   NULL,
    PRIMARY KEY (reference),
    KEY ix_wallet_purchase_expiry (state, expires_at),
    KEY ix_wallet_purchase_member (member_ref, created_at),
    KEY ix_wallet_purchase_order (mall_id, order_id, state),
    CONSTRAINT ck_wallet_purchase_state CHECK (state IN ('PENDING', 'PAID', 'EXPIRED')),
    CONSTRAINT ck_wallet_purchase_total CHECK (total > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
