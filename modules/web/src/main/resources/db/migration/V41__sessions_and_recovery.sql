-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay wallet web: log-in sessions, failed log-in throttling, password-reset tokens.
-- No session id, CSRF token or reset token is stored in clear: only its SHA-256 (the client holds
-- 32 random bytes, so a plain hash suffices; a leaked table gives no usable cookie or link).
-- Times are UTC, written by the application's clock (tests move it).

CREATE TABLE web_session (
    id_hash       BINARY(32)   NOT NULL COMMENT 'SHA-256 of the 32-byte session id of the cookie',
    member_ref    BIGINT       NOT NULL,
    csrf_hash     BINARY(32)   NOT NULL COMMENT 'SHA-256 of the CSRF token (synchronizer token)',
    created_at    DATETIME(6)  NOT NULL,
    last_seen_at  DATETIME(6)  NOT NULL,
    expires_at    DATETIME(6)  NOT NULL COMMENT 'created_at + absolute lifetime; idle timeout is last_seen_at + idle',
    PRIMARY KEY (id_hash),
    KEY ix_web_session_member (member_ref),
    KEY ix_web_session_expires (expires_at),
    CONSTRAINT fk_web_session_member FOREIGN KEY (member_ref) REFERENCES member (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per failed log-in (and per recovery request), for sliding-window throttling. The
-- subject is a SHA-256, never the typed text: people type passwords into the log-in field.
--   LOGIN_MEMBER   'M:' + member row id, or 'L:' + typed log-in name when no member has it
--   LOGIN_ADDRESS  client address
--   RECOVERY_ADDRESS client address (recovery requests, successful or not)
CREATE TABLE login_attempt (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    kind          VARCHAR(16)  NOT NULL,
    subject_hash  BINARY(32)   NOT NULL,
    attempted_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY ix_login_attempt_subject (kind, subject_hash, attempted_at),
    KEY ix_login_attempt_time (attempted_at),
    CONSTRAINT ck_login_attempt_kind CHECK (kind IN ('LOGIN_MEMBER', 'LOGIN_ADDRESS', 'RECOVERY_ADDRESS'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One-time links of "forgot my password". Used or superseded tokens are deleted.
CREATE TABLE password_reset_token (
    token_hash    BINARY(32)   NOT NULL COMMENT 'SHA-256 of the 32-byte token in the e-mailed link',
    member_ref    BIGINT       NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    expires_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (token_hash),
    KEY ix_password_reset_member (member_ref, created_at),
    CONSTRAINT fk_password_reset_member FOREIGN KEY (member_ref) REFERENCES member (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Reset mails per member are limited (mail bombing); the count survives the deletion of used tokens.
CREATE TABLE recovery_mail (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    member_ref    BIGINT       NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    sent_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY ix_recovery_mail_member (member_ref, sent_at),
    CONSTRAINT fk_recovery_mail_member FOREIGN KEY (member_ref) REFERENCES member (id) ON DELETE CASCADE,
    CONSTRAINT ck_recovery_mail_kind CHECK (kind IN ('MEMBER_ID', 'PASSWORD_RESET'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
