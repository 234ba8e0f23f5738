-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A message key is claimed at the start of its message's transaction, by the message itself
-- (ORIGINAL) or by a reversal that arrived first (EARLY_REVERSAL). The primary key makes the two
-- wait for each other, so whichever comes second sees the first:
--  * an original whose reversal came first is declined and moves no money (the acquirer has
--    already undone it);
--  * a reversal whose original is still running waits for it and then reverses it;
--  * an original and its repeat sent at once: the repeat waits and is answered as a repeat.
CREATE TABLE authz_key_claim (
    acquirer_id        VARCHAR(11)  NOT NULL,
    terminal_id        VARCHAR(8)   NOT NULL,
    stan               CHAR(6)      NOT NULL,
    transmission_time  CHAR(10)     NOT NULL,
    mti_class          CHAR(3)      NOT NULL,
    kind               VARCHAR(16)  NOT NULL,
    created_at         TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (acquirer_id, terminal_id, stan, transmission_time, mti_class),
    CONSTRAINT ck_authz_key_claim_kind CHECK (kind IN ('ORIGINAL', 'EARLY_REVERSAL'))
) ENGINE=InnoDB;
