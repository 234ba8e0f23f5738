-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The card acceptor's name/location (ISO 8583 field 43, ans40) of each journaled message, for
-- the member's card history in the wallet; the index serves that history (newest first per card).
ALTER TABLE authz_journal
    ADD COLUMN merchant_name VARCHAR(40) NULL COMMENT 'field 43, trimmed' AFTER merchant_id,
    ADD KEY ix_authz_journal_card_id (card_id, id);
