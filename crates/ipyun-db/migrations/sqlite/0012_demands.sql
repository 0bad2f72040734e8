-- Financing demands and the project pipeline (issue 6, F2): an enterprise's demand, the lenders
-- it is shared with (none: every lender), and each stage it reached, dated.
CREATE TABLE demands (
    id INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    stage TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    months BIGINT NOT NULL,
    urgency TEXT NOT NULL,
    terms TEXT NOT NULL,
    lender_id BIGINT REFERENCES parties(id),
    registration_no TEXT,
    loan_id BIGINT REFERENCES loans(id),
    published_on DATE NOT NULL,
    funded_on DATE,
    version BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX demands_enterprise ON demands(enterprise_id);
CREATE INDEX demands_stage ON demands(stage);

CREATE TABLE demand_shares (
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    PRIMARY KEY (demand_id, lender_id)
);
CREATE INDEX demand_shares_lender ON demand_shares(lender_id);

CREATE TABLE demand_stages (
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    seq BIGINT NOT NULL,
    stage TEXT NOT NULL,
    on_date DATE NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (demand_id, seq)
);
