-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The audit log of anonpay-ops (issue 5 item 5): one row per command run, written by Ops.run in its
-- own transaction after the command ended, whatever its outcome. Who (OS user, host), what (command
-- and its arguments, any 13-19 digit run masked to first 6 + last 4; PINs are read from stdin and never
-- appear), when (at, UTC) and the outcome (exit code and the first line of the refusal or failure).
-- Each row carries the hash of the row before it: hash = SHA-256(prev_hash || row content), checked by
-- `anonpay-ops audit --verify`, so an edit made outside the application shows as a broken chain.
-- The application has no UPDATE or DELETE of this table, and the triggers below refuse both.
CREATE TABLE ops_audit (
    id          BIGINT        NOT NULL,
    `at`        DATETIME(6)   NOT NULL COMMENT 'UTC',
    os_user     VARCHAR(64)   NOT NULL,
    host_name   VARCHAR(255)  NOT NULL,
    command     VARCHAR(64)   NOT NULL COMMENT 'subcommand path, e.g. card-state, mall add',
    arguments   VARCHAR(2000) NOT NULL COMMENT 'masked: no 13-19 digit run',
    exit_code   INT           NOT NULL,
    outcome     VARCHAR(500)  NOT NULL COMMENT 'ok, refused: ..., usage error: ..., failed: ...',
    prev_hash   CHAR(64)      CHARACTER SET ascii NOT NULL,
    hash        CHAR(64)      CHARACTER SET ascii NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_ops_audit_hash (hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER ops_audit_no_update BEFORE UPDATE ON ops_audit FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ops_audit is append-only: rows cannot be updated';

CREATE TRIGGER ops_audit_no_delete BEFORE DELETE ON ops_audit FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ops_audit is append-only: rows cannot be deleted';
