-- Disposal of defaulted pledges (issue 7, L5): a case per pledge being turned into money, its
-- bids, and the settlement that pays the proceeds out through the ledger. The case's full state
-- (method, status, listing, bids, buyer, price) is kept as the domain's JSON in `state`; the
-- columns beside it are what lists and checks read. `version` guards concurrent steps.
CREATE TABLE disposal_cases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    pledge_id BIGINT NOT NULL REFERENCES pledges(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    pledgor_id BIGINT NOT NULL REFERENCES parties(id),
    method TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    buyer_id BIGINT REFERENCES parties(id),
    price_fen BIGINT CHECK (price_fen IS NULL OR price_fen > 0),
    costs_fen BIGINT,
    claim_id BIGINT REFERENCES fund_claims(id),
    settlement TEXT,
    opened_on DATE NOT NULL,
    settled_on DATE,
    version BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX disposal_cases_one_open ON disposal_cases(pledge_id) WHERE status NOT IN ('settled', 'closed');
CREATE INDEX disposal_cases_loan ON disposal_cases(loan_id);
CREATE INDEX disposal_cases_lender ON disposal_cases(lender_id, status);

-- Every step of a case (opened, listed, bid, sold, unsold, agreed, settled, …) with its actor.
CREATE TABLE disposal_events (
    case_id BIGINT NOT NULL REFERENCES disposal_cases(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, seq)
);
