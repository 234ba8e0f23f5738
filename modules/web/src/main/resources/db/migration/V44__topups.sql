-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay wallet web: top-ups of a prepaid card from a funding source (patent step a7).
-- One row per member request (member_ref + request_id is the client's retry key), written before
-- any money moves, so that a crash leaves a row to finish: PENDING (funding asked, outcome unknown)
-- → FUNDED (charged / debited) → LOADED; or DECLINED, UNAVAILABLE (nothing moved), REVERSED
-- (funding undone), REVERSAL_PENDING (funding to be undone), FAILED (load refused, funding given
-- back), REFUND_PENDING (load refused, funding still to be given back). The load's ISO 8583 message
-- key is derived from the row id (org.anonpay.web.funding.TopupLoads), so loading again is a repeat.
-- lease_until: the worker (request or recovery) that owns the row until then.
CREATE TABLE topup (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    member_ref      BIGINT       NOT NULL,
    request_id      VARCHAR(64)  NOT NULL,
    card_id         BIGINT       NOT NULL,
    source_id       BIGINT       NOT NULL,
    source_kind     VARCHAR(16)  NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    state           VARCHAR(20)  NOT NULL,
    funding_code    VARCHAR(4)   NULL,
    funding_ref     VARCHAR(40)  NULL,
    load_code       CHAR(2)      NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    lease_until     DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_topup_request (member_ref, request_id),
    KEY ix_topup_card (card_id, id),
    KEY ix_topup_state (state),
    CONSTRAINT ck_topup_amount CHECK (amount_minor > 0),
    CONSTRAINT fk_topup_member FOREIGN KEY (member_ref) REFERENCES member (id),
    CONSTRAINT fk_topup_card FOREIGN KEY (card_id) REFERENCES card (id),
    CONSTRAINT fk_topup_source FOREIGN KEY (source_id) REFERENCES funding_source (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
