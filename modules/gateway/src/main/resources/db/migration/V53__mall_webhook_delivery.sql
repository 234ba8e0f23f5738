-- SPDX-License-Identifier: AGPL-3.0-or-later
-- anonpay gateway: delivering the webhook outbox (payment.WebhookDelivery), recovering follow-ups.
-- SKIPPED: the event's mall has no webhook URL (or is no longer known) when it falls due; the event
-- is kept for the record but never sent (setting a URL later does not replay old events: the mall
-- reads them with GET /v1/payments/{id}).
-- last_error: the outcome of the latest attempt that was not a 2xx, for ops (never the body).
-- The deliverer claims due rows with SELECT ... FOR UPDATE SKIP LOCKED and moves next_attempt_at
-- past the attempt (a lease), so two hosts never send the same attempt at once.
ALTER TABLE mall_webhook_event DROP CONSTRAINT ck_mall_webhook_state;
ALTER TABLE mall_webhook_event ADD CONSTRAINT ck_mall_webhook_state CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED'));
ALTER TABLE mall_webhook_event ADD COLUMN last_error VARCHAR(80) NULL AFTER last_status;

-- Recovery finds follow-ups (capture, cancel, refund) whose answer was lost.
CREATE INDEX ix_mall_payment_op_pending ON mall_payment_op (status, created_at);
