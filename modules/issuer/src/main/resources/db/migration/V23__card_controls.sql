-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay issuer: the controls a member sets on a card (card detail page). No row = the defaults:
-- no member limits, online and offline use allowed. Limits are minor units of the card program's
-- currency, at least 1 and at most the program's own limits (checked by CardIssuer.setControls);
-- NULL = no member limit, only the program's.
CREATE TABLE card_control (
    card_id               BIGINT      NOT NULL,
    limit_per_transaction BIGINT      NULL,
    limit_daily           BIGINT      NULL,
    allow_online          BOOLEAN     NOT NULL DEFAULT TRUE,
    allow_offline         BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at            DATETIME(6) NOT NULL,
    PRIMARY KEY (card_id),
    CONSTRAINT fk_card_control_card FOREIGN KEY (card_id) REFERENCES card (id),
    CONSTRAINT ck_card_control_per_transaction CHECK (limit_per_transaction IS NULL OR limit_per_transaction >= 1),
    CONSTRAINT ck_card_control_daily CHECK (limit_daily IS NULL OR limit_daily >= 1),
    CONSTRAINT ck_card_control_order CHECK (limit_per_transaction IS NULL OR limit_daily IS NULL OR limit_per_transaction <= limit_daily)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
