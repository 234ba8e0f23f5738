-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay wallet web: the member's e-wallet (patent step a4). The issuer's card row carries the
-- member in holder_ref; this table keeps what the wallet itself decides about each card: the
-- member it was applied for and whether card use statements go out by e-mail (a2).
CREATE TABLE wallet_card (
    card_id           BIGINT      NOT NULL,
    member_ref        BIGINT      NOT NULL,
    email_statements  BOOLEAN     NOT NULL,
    added_at          DATETIME(6) NOT NULL,
    PRIMARY KEY (card_id),
    KEY ix_wallet_card_member (member_ref),
    CONSTRAINT fk_wallet_card_card FOREIGN KEY (card_id) REFERENCES card (id),
    CONSTRAINT fk_wallet_card_member FOREIGN KEY (member_ref) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
