-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay analytics (modules/analytics/README.md): members who opted out of the aggregated
-- spending report. A row here means "leave every transaction of this member out"; no row means
-- the member takes part (only ever in groups of at least the configured minimum size).
-- member_ref is member.id; no foreign key, so the table can live beside a wallet that is not
-- migrated yet, and a closed member's choice stays.
CREATE TABLE analytics_opt_out (
    member_ref    BIGINT      NOT NULL,
    opted_out_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (member_ref)
) ENGINE=InnoDB;
