-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay wallet web: funding sources of the e-wallet (patent step a7): credit cards of other
-- issuers (kept only after their issuer confirmed them with a zero-amount verification) and bank
-- accounts. The number (PAN or account number) is stored only encrypted (AES-256-GCM, key
-- cfg/keys/dev-funding.properties) and as a keyed HMAC-SHA256 look-up hash, which finds the same
-- source added twice. The CVV2 of a card is never stored. Removal is soft: top-ups keep their
-- source; "active" is 1 while the row is not removed and NULL after, so the unique key allows one
-- active row per member and number but any number of removed ones.
CREATE TABLE funding_source (
    id                 BIGINT        NOT NULL AUTO_INCREMENT,
    member_ref         BIGINT        NOT NULL,
    kind               VARCHAR(16)   NOT NULL,
    label              VARCHAR(30)   NULL,
    masked             VARCHAR(19)   NOT NULL,
    expiry_yymm        CHAR(4)       NULL,
    bank_code          CHAR(3)       NULL,
    holder_name        VARCHAR(30)   NULL,
    number_encrypted   VARBINARY(96) NOT NULL,
    number_hash        BINARY(32)    NOT NULL,
    verification_code  VARCHAR(8)    NULL,
    added_at           DATETIME(6)   NOT NULL,
    removed_at         DATETIME(6)   NULL,
    active             TINYINT GENERATED ALWAYS AS (CASE WHEN removed_at IS NULL THEN 1 ELSE NULL END) STORED,
    PRIMARY KEY (id),
    UNIQUE KEY uq_funding_source_active (member_ref, number_hash, active),
    KEY ix_funding_source_member (member_ref, id),
    CONSTRAINT ck_funding_source_kind CHECK (kind IN ('CREDIT_CARD', 'BANK_ACCOUNT')),
    CONSTRAINT fk_funding_source_member FOREIGN KEY (member_ref) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
