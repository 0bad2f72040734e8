-- Implementation of pledged patents (issue 7, L6): each year the enterprise holding a pledged
-- patent declares whether it is used in production; the rate is aggregated by lender, park
-- and region. A later declaration for the same year replaces the earlier (audited).
CREATE TABLE patent_implementations (
    right_id BIGINT NOT NULL REFERENCES rights(id),
    year BIGINT NOT NULL,
    implemented BOOLEAN NOT NULL,
    party_id BIGINT NOT NULL REFERENCES parties(id),
    note TEXT,
    declared_by TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    PRIMARY KEY (right_id, year)
);
