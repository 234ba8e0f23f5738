-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay issuer: requests for a plastic card (patent step a6), the issuer staff's work queue.
-- One request per card. The delivery address is personal data: stored only AES-256-GCM
-- encrypted (key-version byte first, the card id bound in as associated data, so an address
-- cannot be moved to another card's row).
CREATE TABLE physical_card_request (
    id                 BIGINT         NOT NULL AUTO_INCREMENT,
    card_id            BIGINT         NOT NULL,
    delivery           VARCHAR(6)     NOT NULL COMMENT 'HOME or OFFICE',
    address_encrypted  VARBINARY(1024) NOT NULL,
    state              VARCHAR(9)     NOT NULL DEFAULT 'REQUESTED',
    requested_at       DATETIME(6)    NOT NULL,
    produced_at        DATETIME(6)    NULL,
    shipped_at         DATETIME(6)    NULL,
    tracking_ref       VARCHAR(64)    NULL,
    version            BIGINT         NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_physical_card_request_card (card_id),
    KEY ix_physical_card_request_state (state, requested_at),
    CONSTRAINT fk_physical_card_request_card FOREIGN KEY (card_id) REFERENCES card (id),
    CONSTRAINT ck_physical_card_request_delivery CHECK (delivery IN ('HOME', 'OFFICE')),
    CONSTRAINT ck_physical_card_request_state CHECK (state IN ('REQUESTED', 'PRODUCED', 'SHIPPED')),
    CONSTRAINT ck_physical_card_request_shipped CHECK (state <> 'SHIPPED' OR (shipped_at IS NOT NULL AND tracking_ref IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
