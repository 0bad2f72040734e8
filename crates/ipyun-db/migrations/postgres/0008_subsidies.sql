-- Interest and fee subsidies (issue 7, L4: 贴息 / 费用补贴): programmes kept by an IP office, each
-- with its budget appropriated through the ledger; enterprises' applications on their own loans,
-- the office's decisions, and payouts drafted by a maker and approved by a different checker.
-- Money is whole fen, shares basis points.

-- A programme's budget line is money from outside, like a fund's budget: it may go negative.
ALTER TABLE ledger_balances DROP CONSTRAINT ledger_balances_no_overdraft;
ALTER TABLE ledger_balances ADD CONSTRAINT ledger_balances_no_overdraft
    CHECK (balance_fen >= 0 OR account_kind IN ('budget', 'buyer', 'subsidy_budget'));

-- `committed_fen` is what approved applications not yet paid hold of the programme's money: an
-- approval moves it up only while it stays within the programme's balance, a payout down.
CREATE TABLE subsidy_programmes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    office_id BIGINT NOT NULL REFERENCES parties(id),
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    rate_bp BIGINT NOT NULL CHECK (rate_bp > 0 AND rate_bp <= 10000),
    cap_per_application_fen BIGINT NOT NULL CHECK (cap_per_application_fen > 0),
    annual_budget_fen BIGINT NOT NULL CHECK (annual_budget_fen > 0),
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    committed_fen BIGINT NOT NULL DEFAULT 0 CHECK (committed_fen >= 0),
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (closes_on >= opens_on)
);
CREATE INDEX subsidy_programmes_office ON subsidy_programmes(office_id);

-- Each appropriation's ledger entry.
CREATE TABLE subsidy_appropriations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES subsidy_programmes(id),
    entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    appropriated_on DATE NOT NULL,
    actor TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX subsidy_appropriations_programme ON subsidy_appropriations(programme_id, appropriated_on);

-- An enterprise's application on its loan: for interest, the period and the interest paid in it
-- (read from the loan's repayments); for a fee, the fee and its evidence. At most one open fee
-- application per programme and loan.
CREATE TABLE subsidy_applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES subsidy_programmes(id),
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    applied_on DATE NOT NULL,
    period_start DATE,
    period_end DATE,
    cost_fen BIGINT NOT NULL CHECK (cost_fen >= 0),
    evidence TEXT,
    share_fen BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    limited_by TEXT,
    refusal TEXT,
    decided_by TEXT,
    decided_on DATE,
    paid_fen BIGINT NOT NULL DEFAULT 0,
    paid_on DATE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK ((period_start IS NULL) = (period_end IS NULL))
);
CREATE UNIQUE INDEX subsidy_applications_one_fee ON subsidy_applications(programme_id, loan_id)
    WHERE period_start IS NULL AND status <> 'refused';
CREATE INDEX subsidy_applications_programme ON subsidy_applications(programme_id, status);
CREATE INDEX subsidy_applications_enterprise ON subsidy_applications(enterprise_id);
CREATE INDEX subsidy_applications_loan ON subsidy_applications(loan_id);

-- A payout of an approved application: drafted by a maker, paid once a different checker approves.
CREATE TABLE subsidy_payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES subsidy_applications(id),
    programme_id BIGINT NOT NULL REFERENCES subsidy_programmes(id),
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
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
CREATE UNIQUE INDEX subsidy_payouts_one_pending ON subsidy_payouts(application_id) WHERE status = 'pending';
CREATE INDEX subsidy_payouts_programme ON subsidy_payouts(programme_id, status);
