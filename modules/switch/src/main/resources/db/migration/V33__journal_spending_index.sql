-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The daily-limit sum (Journal.spentOn) runs for every purchase and authorization: an index that
-- holds every column it reads answers it from the index alone, without visiting a row of the
-- card's day. It begins with (card_id, business_date), so it also serves what the old index did.
CREATE INDEX ix_authz_journal_spending ON authz_journal (card_id, business_date, response_code, reversed, txn_type, card_amount, completed_amount);
DROP INDEX ix_authz_journal_card_day ON authz_journal;
