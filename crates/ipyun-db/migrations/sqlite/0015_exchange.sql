-- Exchange with credit-loan platforms (信易贷, issue 6, F5): demands imported from a platform keep
-- its name and its own id (once each); lenders' webhook endpoints, one delivery per endpoint and
-- demand (never sent twice), and each attempt of it.
ALTER TABLE demands ADD COLUMN source TEXT;
ALTER TABLE demands ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX demands_source_external ON demands(source, external_id)
    WHERE source IS NOT NULL AND external_id IS NOT NULL;
CREATE INDEX demands_updated_feed ON demands(updated_at);
CREATE INDEX products_updated_feed ON products(updated_at);

CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_subscriptions_lender ON webhook_subscriptions(lender_id);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions(id),
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    lease_until TEXT,
    last_status_code BIGINT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (subscription_id, demand_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

CREATE TABLE webhook_attempts (
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, seq)
);
