-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay gateway: the malls (merchants) that send approval requests over the HTTP API (Flows B, C)
-- or through a VAN (Flow D). Ops staff manage them with `anonpay-ops mall ...`.
CREATE TABLE mall (
    mall_id      VARCHAR(16)  NOT NULL,
    name         VARCHAR(40)  NOT NULL,
    mcc          CHAR(4)      NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    webhook_url  VARCHAR(500) NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (mall_id),
    CONSTRAINT ck_mall_kind CHECK (kind IN ('PARTNER', 'NON_AFFILIATED')),
    CONSTRAINT ck_mall_state CHECK (state IN ('ACTIVE', 'SUSPENDED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A mall's API secrets. The secret itself is shown once and never stored: only SHA-256 of it,
-- sealed with AES-GCM. Secrets are longer than HMAC-SHA256's 64-byte block, and HMAC replaces such
-- a key by its SHA-256, so the stored hash verifies the mall's signatures and signs its webhooks.
-- At most two live secrets per mall (rotation without downtime).
CREATE TABLE mall_secret (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    mall_id       VARCHAR(16)  NOT NULL,
    key_id        VARCHAR(40)  NOT NULL,
    sealed_hash   VARBINARY(96) NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    retired_at    DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_mall_secret_key_id (key_id),
    KEY ix_mall_secret_mall (mall_id, retired_at),
    CONSTRAINT fk_mall_secret_mall FOREIGN KEY (mall_id) REFERENCES mall (mall_id)
) ENGINE=InnoDB;

-- Signatures already accepted, kept as long as their timestamp is within the tolerance: the same
-- signed request sent again (a replay) is refused.
CREATE TABLE mall_request_seen (
    mall_id          VARCHAR(16) NOT NULL,
    signature_hash   BINARY(32)  NOT NULL,
    expires_at       DATETIME(6) NOT NULL,
    PRIMARY KEY (mall_id, signature_hash),
    KEY ix_mall_request_seen_expiry (expires_at)
) ENGINE=InnoDB;

-- Idempotency-Key of a mall's POST: the first response is kept and returned byte for byte to
-- every retry; the same key with another body is refused. payment_id: the payment a still running
-- request created, so a retry after a lost answer can be given its outcome once recovery has it.
CREATE TABLE mall_idempotency_key (
    mall_id        VARCHAR(16)  NOT NULL,
    idem_key       VARCHAR(64)  NOT NULL,
    request_hash   BINARY(32)   NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    status         INT          NULL,
    response_body  MEDIUMBLOB   NULL,
    payment_id     VARCHAR(32)  NULL,
    created_at     DATETIME(6)  NOT NULL,
    completed_at   DATETIME(6)  NULL,
    PRIMARY KEY (mall_id, idem_key),
    CONSTRAINT ck_mall_idem_state CHECK (state IN ('IN_PROGRESS', 'COMPLETED'))
) ENGINE=InnoDB;
