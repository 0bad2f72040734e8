-- Valuation (V1–V4): valuation records, royalty-rate reference data, patent indicators for the
-- automated model, realised prices for its back-test, appraisers, lenders' loan-to-value caps. SQLite.

CREATE TABLE valuations (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    right_number TEXT,
    party_id BIGINT REFERENCES parties(id),
    method TEXT NOT NULL,
    purpose TEXT NOT NULL,
    inputs TEXT NOT NULL,
    result TEXT NOT NULL,
    value_fen BIGINT NOT NULL,
    low_fen BIGINT,
    high_fen BIGINT,
    appraiser_id BIGINT REFERENCES parties(id),
    made_by TEXT NOT NULL,
    made_at TEXT NOT NULL
);
CREATE INDEX valuations_right ON valuations(right_number);
CREATE INDEX valuations_party ON valuations(party_id);

-- Royalty rates as shares of revenue, in basis points, by GB/T 4754 industry code (any level).
CREATE TABLE royalty_rates (
    industry TEXT PRIMARY KEY,
    low_bp INTEGER NOT NULL,
    mid_bp INTEGER NOT NULL,
    high_bp INTEGER NOT NULL,
    samples INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    published_on DATE NOT NULL,
    updated_at TEXT NOT NULL
);

-- IPC (class or subclass prefix) to GB/T 4754 industry, for patents' default royalty rate.
CREATE TABLE ipc_industry (
    ipc_prefix TEXT PRIMARY KEY,
    industry TEXT NOT NULL
);

-- What the automated model reads of a patent besides the register.
CREATE TABLE patent_indicators (
    right_id INTEGER PRIMARY KEY REFERENCES rights(id) ON DELETE CASCADE,
    claims INTEGER NOT NULL,
    independent_claims INTEGER NOT NULL,
    family_size INTEGER NOT NULL,
    family_countries INTEGER NOT NULL,
    forward_citations INTEGER NOT NULL,
    backward_citations INTEGER NOT NULL,
    inventors INTEGER NOT NULL,
    licences INTEGER NOT NULL,
    transfers INTEGER NOT NULL,
    litigations INTEGER NOT NULL,
    invalidation_requests INTEGER NOT NULL,
    implemented BOOLEAN,
    holder_revenue_fen BIGINT,
    updated_at TEXT NOT NULL
);

-- The latest automated valuation of each right, per purpose.
CREATE TABLE automated_valuations (
    right_id BIGINT NOT NULL REFERENCES rights(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    low_fen BIGINT NOT NULL,
    mid_fen BIGINT NOT NULL,
    high_fen BIGINT NOT NULL,
    confidence_bp INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (right_id, purpose)
);

-- Prices actually paid: licence fees, sales, auctions, acquisitions (the back-test's truth).
CREATE TABLE realised_prices (
    id INTEGER PRIMARY KEY,
    right_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    on_date DATE NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX realised_prices_number ON realised_prices(right_number);

CREATE TABLE appraiser_profiles (
    party_id BIGINT PRIMARY KEY REFERENCES parties(id),
    qualification_no TEXT NOT NULL UNIQUE,
    qualified_since DATE,
    fields TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE lender_policies (
    party_id BIGINT PRIMARY KEY REFERENCES parties(id),
    max_ltv_bp INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

ALTER TABLE pledges ADD COLUMN appraised_value_fen BIGINT;
ALTER TABLE pledges ADD COLUMN valuation_id BIGINT;
