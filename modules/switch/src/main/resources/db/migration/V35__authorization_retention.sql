-- SPDX-License-Identifier: AGPL-3.0-or-later
-- How far AuthorizationRetention has walked the journal to purge key claims: the claims of the
-- journal's rows up to last_journal_id are purged (those that may be), so each run reads only the
-- rows journaled since the last one, never the whole journal again.
CREATE TABLE authz_retention_mark (
    name             VARCHAR(32) NOT NULL,
    last_journal_id  BIGINT      NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB;

INSERT INTO authz_retention_mark (name, last_journal_id) VALUES ('key-claims', 0);
