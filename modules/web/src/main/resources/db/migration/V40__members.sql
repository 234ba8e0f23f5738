-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay wallet web: registered members (patent Fig. 2, step a1).
-- No secret is kept in clear: password and security answer are Argon2id hashes in PHC string
-- form (parameters and salt inside), the national ID (resident registration number) is
-- AES-256-GCM encrypted (key-version byte first) with only a masked form YYMMDD-N****** in clear.
CREATE TABLE member (
    id                     BIGINT        NOT NULL AUTO_INCREMENT,
    member_id              VARCHAR(12)   NOT NULL COMMENT 'as the member typed it',
    member_id_key          VARCHAR(12)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'lower-case member_id: ids are unique ignoring case',
    nickname               VARCHAR(12)   NOT NULL,
    nickname_key           VARCHAR(12)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'lower-case NFC nickname',
    name                   VARCHAR(30)   NOT NULL,
    name_latin             VARCHAR(60)   NOT NULL,
    national_id_encrypted  VARBINARY(64) NOT NULL,
    national_id_masked     CHAR(14)      NOT NULL COMMENT 'YYMMDD-N******',
    birth_date             DATE          NOT NULL,
    birth_calendar         VARCHAR(5)    NOT NULL,
    password_hash          VARCHAR(160)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    security_question_id   INT           NOT NULL,
    security_answer_hash   VARCHAR(160)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    email                  VARCHAR(254)  NOT NULL,
    mobile                 VARCHAR(13)   NOT NULL COMMENT '01X-XXX(X)-XXXX',
    statement_channel      VARCHAR(5)    NOT NULL,
    state                  VARCHAR(16)   NOT NULL DEFAULT 'ACTIVE',
    created_at             DATETIME(6)   NOT NULL,
    version                BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_member_member_id (member_id_key),
    UNIQUE KEY uk_member_nickname (nickname_key),
    CONSTRAINT ck_member_birth_calendar CHECK (birth_calendar IN ('SOLAR', 'LUNAR')),
    CONSTRAINT ck_member_statement_channel CHECK (statement_channel IN ('EMAIL', 'SMS')),
    CONSTRAINT ck_member_state CHECK (state IN ('ACTIVE', 'LOCKED', 'CLOSED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Member IDs and nicknames share one namespace: a nickname stands in for the member ID on
-- partner sites, so a nickname equal to another member's ID (or the reverse) would make a log-in
-- name ambiguous. One row per name, its primary key makes the check atomic.
CREATE TABLE member_handle (
    handle_key  VARCHAR(12) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'member_id_key or nickname_key',
    member_ref  BIGINT      NOT NULL,
    kind        VARCHAR(9)  NOT NULL,
    PRIMARY KEY (handle_key),
    KEY ix_member_handle_member (member_ref),
    CONSTRAINT fk_member_handle_member FOREIGN KEY (member_ref) REFERENCES member (id),
    CONSTRAINT ck_member_handle_kind CHECK (kind IN ('MEMBER_ID', 'NICKNAME'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
