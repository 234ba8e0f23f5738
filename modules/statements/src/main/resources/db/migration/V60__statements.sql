-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay statements (patent b12, claim 10): the next-day statement of each member's transactions.
-- One run per business date; one row per (member, business date). The unique key of statement is
-- what makes the statement exactly once: the job only ever inserts rows with INSERT IGNORE and only
-- sends a row it has moved from PENDING to SENDING with a conditional UPDATE.
CREATE TABLE statement_run (
    business_date  DATE         NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    members_total  INT          NOT NULL DEFAULT 0,
    started_at     DATETIME(6)  NOT NULL,
    completed_at   DATETIME(6)  NULL,
    PRIMARY KEY (business_date),
    CONSTRAINT ck_statement_run_state CHECK (state IN ('RUNNING', 'COMPLETE'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE statement (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    member_ref     BIGINT       NOT NULL COMMENT 'member.id',
    business_date  DATE         NOT NULL,
    state          VARCHAR(8)   NOT NULL,
    channel        VARCHAR(5)   NOT NULL COMMENT 'the member''s choice when the statement was (last) claimed',
    attempts       INT          NOT NULL DEFAULT 0,
    entries        INT          NOT NULL DEFAULT 0 COMMENT 'entries listed in the statement sent',
    claimed_at     DATETIME(6)  NULL COMMENT 'when the current or last send started (SENDING)',
    sent_at        DATETIME(6)  NULL,
    message_ref    VARCHAR(100) NULL COMMENT 'Message-ID of the mail or SMSC message id',
    last_error     VARCHAR(500) NULL,
    created_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_statement_member_day (member_ref, business_date),
    KEY ix_statement_day_state (business_date, state),
    CONSTRAINT ck_statement_state CHECK (state IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    CONSTRAINT ck_statement_channel CHECK (channel IN ('EMAIL', 'SMS'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
