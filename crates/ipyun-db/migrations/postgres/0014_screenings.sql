-- Credit white-lists (issue 6, F4): lenders' and offices' screening rule sets (every version
-- kept), screening runs with their rule version, date and inputs digest, the ranked results
-- with each enterprise's inputs (the run's snapshot), and the credit data screening reads
-- beside the register and the loans: credit grades (tax, credit-loan platforms) and integrity
-- flags.
CREATE TABLE credit_grades (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    source TEXT NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'M', 'C', 'D')),
    as_of DATE NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX credit_grades_key ON credit_grades(enterprise_id, source, as_of);

CREATE TABLE integrity_flags (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    since DATE NOT NULL,
    until DATE,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    CHECK (until IS NULL OR until >= since)
);
CREATE UNIQUE INDEX integrity_flags_key ON integrity_flags(enterprise_id, kind, source, since);

CREATE TABLE screening_rule_sets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES parties(id),
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    config TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX screening_rule_sets_owner ON screening_rule_sets(owner_id);

CREATE TABLE screening_rule_set_versions (
    rule_set_id BIGINT NOT NULL REFERENCES screening_rule_sets(id),
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rule_set_id, version)
);

CREATE TABLE screening_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES parties(id),
    rule_set_id BIGINT NOT NULL REFERENCES screening_rule_sets(id),
    rule_set_version BIGINT NOT NULL,
    model TEXT NOT NULL,
    as_of DATE NOT NULL,
    inputs_digest TEXT NOT NULL,
    results_digest TEXT NOT NULL,
    screened BIGINT NOT NULL,
    passed BIGINT NOT NULL,
    pre_approved_fen BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (rule_set_id, rule_set_version) REFERENCES screening_rule_set_versions(rule_set_id, version)
);
CREATE INDEX screening_runs_owner ON screening_runs(owner_id);

CREATE TABLE screening_results (
    run_id BIGINT NOT NULL REFERENCES screening_runs(id),
    rank BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    score_bp BIGINT NOT NULL,
    passed BOOLEAN NOT NULL,
    pre_approved_fen BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    facts TEXT NOT NULL,
    PRIMARY KEY (run_id, rank)
);
