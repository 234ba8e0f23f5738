-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Each card's approved, unreversed spending per business day, as a running total kept with the
-- journal in the same transaction (org.anonpay.authz.DaySpending). The daily limits read one row
-- per card here instead of summing the card's journal of the day: that sum read every approved
-- row of the day, thousands for a card used all day, on every authorization of that card.
CREATE TABLE card_day_spending (
    card_id        BIGINT NOT NULL,
    business_date  DATE   NOT NULL,
    spent          BIGINT NOT NULL COMMENT 'minor units of the card''s currency: SUM(COALESCE(completed_amount, card_amount)) of its approved, unreversed purchases and authorizations of the day',
    PRIMARY KEY (card_id, business_date)
) ENGINE=InnoDB;

-- what the journal already holds, as Journal.spentOn summed it
INSERT INTO card_day_spending (card_id, business_date, spent)
SELECT card_id, business_date, SUM(COALESCE(completed_amount, card_amount))
FROM authz_journal
WHERE card_id IS NOT NULL AND response_code = '00' AND reversed = FALSE
  AND txn_type IN ('PURCHASE', 'AUTHORIZATION', 'AUTHORIZATION_ADVICE')
GROUP BY card_id, business_date;

-- the covering index V33 made for that sum is written on every journal insert, completion and
-- reversal; the card's rows by day need only these two columns (statements, history)
CREATE INDEX ix_authz_journal_card_day ON authz_journal (card_id, business_date);
DROP INDEX ix_authz_journal_spending ON authz_journal;
