-- Loans secured by registered pledges (issue 7): L1 loans and their repayments, L2 the
-- five-category classification, L3 risk-compensation funds and the double-entry ledger through
-- which their money moves. Money is whole fen, rates parts per million a year.
CREATE TABLE loans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    borrower_id BIGINT NOT NULL REFERENCES parties(id),
    contract_no TEXT NOT NULL,
    product_id BIGINT,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    annual_rate_ppm BIGINT NOT NULL CHECK (annual_rate_ppm >= 0),
    method TEXT NOT NULL,
    day_count TEXT NOT NULL,
    start_date DATE NOT NULL,
    months BIGINT NOT NULL,
    maturity DATE NOT NULL,
    status TEXT NOT NULL,
    principal_outstanding_fen BIGINT NOT NULL CHECK (principal_outstanding_fen >= 0),
    days_overdue BIGINT NOT NULL DEFAULT 0,
    risk_class TEXT NOT NULL,
    override_class TEXT,
    override_reason TEXT,
    restructured_until DATE,
    classified_on DATE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX loans_lender_contract ON loans(lender_id, contract_no);
CREATE INDEX loans_borrower ON loans(borrower_id);
CREATE INDEX loans_status ON loans(status);

-- The registered pledges securing each loan.
CREATE TABLE loan_pledges (
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    pledge_id BIGINT NOT NULL REFERENCES pledges(id),
    PRIMARY KEY (loan_id, pledge_id)
);
CREATE INDEX loan_pledges_pledge ON loan_pledges(pledge_id);

CREATE TABLE loan_disbursements (
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    seq BIGINT NOT NULL,
    disbursed_on DATE NOT NULL,
    principal_fen BIGINT NOT NULL CHECK (principal_fen > 0),
    months BIGINT NOT NULL,
    PRIMARY KEY (loan_id, seq)
);

-- The schedule in force, one row per instalment of each disbursement, with what was paid of it.
CREATE TABLE loan_instalments (
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    disbursement BIGINT NOT NULL,
    period BIGINT NOT NULL,
    due_date DATE NOT NULL,
    principal_due_fen BIGINT NOT NULL,
    interest_due_fen BIGINT NOT NULL,
    fees_due_fen BIGINT NOT NULL DEFAULT 0,
    balance_fen BIGINT NOT NULL,
    principal_paid_fen BIGINT NOT NULL DEFAULT 0,
    interest_paid_fen BIGINT NOT NULL DEFAULT 0,
    fees_paid_fen BIGINT NOT NULL DEFAULT 0,
    settled BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (loan_id, disbursement, period),
    CHECK (principal_paid_fen >= 0 AND principal_paid_fen <= principal_due_fen),
    CHECK (interest_paid_fen >= 0 AND interest_paid_fen <= interest_due_fen),
    CHECK (fees_paid_fen >= 0 AND fees_paid_fen <= fees_due_fen)
);
CREATE INDEX loan_instalments_open ON loan_instalments(loan_id, due_date) WHERE NOT settled;

-- Repayments (applied fees → interest → principal, oldest first) and prepayments.
CREATE TABLE loan_repayments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    kind TEXT NOT NULL,
    received_on DATE NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    fees_fen BIGINT NOT NULL,
    interest_fen BIGINT NOT NULL,
    principal_fen BIGINT NOT NULL,
    unapplied_fen BIGINT NOT NULL,
    detail TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_repayments_loan ON loan_repayments(loan_id, received_on);

-- Every class a loan was put in: on opening, by the daily job, by a lender's override.
CREATE TABLE loan_class_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    on_date DATE NOT NULL,
    from_class TEXT,
    to_class TEXT NOT NULL,
    floor_class TEXT NOT NULL,
    floor_rule TEXT NOT NULL,
    days_overdue BIGINT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_class_changes_loan ON loan_class_changes(loan_id, on_date);

-- The daily job's runs, one row per date (the last run of that date).
CREATE TABLE loan_day_runs (
    run_date DATE PRIMARY KEY,
    loans BIGINT NOT NULL,
    overdue BIGINT NOT NULL,
    reclassified BIGINT NOT NULL,
    alerts BIGINT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- Risk-compensation funds, one per region or park, kept by an IP office.
CREATE TABLE funds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    office_id BIGINT NOT NULL REFERENCES parties(id),
    scope_kind TEXT NOT NULL,
    region TEXT,
    park_id BIGINT REFERENCES parties(id),
    coverage_bp BIGINT NOT NULL CHECK (coverage_bp > 0 AND coverage_bp <= 10000),
    cap_per_loan_fen BIGINT NOT NULL CHECK (cap_per_loan_fen > 0),
    cap_per_year_fen BIGINT NOT NULL CHECK (cap_per_year_fen > 0),
    eligible_lenders TEXT NOT NULL,
    eligible_products TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((scope_kind = 'region' AND region IS NOT NULL) OR (scope_kind = 'park' AND park_id IS NOT NULL))
);

-- A lender's claim on a defaulted loan; at most one open claim per fund and loan.
CREATE TABLE fund_claims (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES funds(id),
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    status TEXT NOT NULL,
    claimed_on DATE NOT NULL,
    principal_outstanding_fen BIGINT NOT NULL,
    days_overdue BIGINT NOT NULL,
    risk_class TEXT NOT NULL,
    share_fen BIGINT NOT NULL,
    due_fen BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    limited_by TEXT,
    paid_fen BIGINT NOT NULL DEFAULT 0,
    recovered_fen BIGINT,
    recovered_to_fund_fen BIGINT,
    refusal TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX fund_claims_one_open ON fund_claims(fund_id, loan_id) WHERE status <> 'refused';
CREATE INDEX fund_claims_lender ON fund_claims(lender_id);

-- The double-entry ledger: entries, their lines (summing to zero), and each account's balance,
-- updated in the same transaction. Only money from outside (a budget, a buyer) may go negative.
CREATE TABLE ledger_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference TEXT NOT NULL,
    entry_date DATE NOT NULL,
    kind TEXT NOT NULL,
    fund_id BIGINT REFERENCES funds(id),
    claim_id BIGINT REFERENCES fund_claims(id),
    actor TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_entries_fund ON ledger_entries(fund_id);

CREATE TABLE ledger_lines (
    entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
    line_no BIGINT NOT NULL,
    account_kind TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
    PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX ledger_lines_account ON ledger_lines(account_kind, account_id);

CREATE TABLE ledger_balances (
    account_kind TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    balance_fen BIGINT NOT NULL,
    PRIMARY KEY (account_kind, account_id),
    CONSTRAINT ledger_balances_no_overdraft CHECK (balance_fen >= 0 OR account_kind IN ('budget', 'buyer'))
);

-- A payout from a fund: drafted by a maker, paid once a different checker approves it.
CREATE TABLE fund_payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id BIGINT NOT NULL REFERENCES fund_claims(id),
    fund_id BIGINT NOT NULL REFERENCES funds(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    status TEXT NOT NULL,
    maker_user_id BIGINT NOT NULL,
    maker TEXT NOT NULL,
    checker_user_id BIGINT,
    checker TEXT,
    entry_id BIGINT REFERENCES ledger_entries(id),
    drafted_at TIMESTAMPTZ NOT NULL,
    approved_on DATE,
    approved_at TIMESTAMPTZ,
    CHECK (checker_user_id IS NULL OR checker_user_id <> maker_user_id)
);
CREATE UNIQUE INDEX fund_payouts_one_pending ON fund_payouts(claim_id) WHERE status = 'pending';
CREATE INDEX fund_payouts_fund ON fund_payouts(fund_id, status);
