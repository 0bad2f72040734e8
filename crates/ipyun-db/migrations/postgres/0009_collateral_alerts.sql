-- Collateral surveillance (issue 7): each risk the daily job found on a right pledged for a
-- running loan, raised once (one open row per loan, right and risk) and cleared when the
-- register no longer shows it. The lender's users get an in-app notice when one is raised.
CREATE TABLE collateral_alerts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    pledge_id BIGINT NOT NULL REFERENCES pledges(id),
    right_id BIGINT NOT NULL REFERENCES rights(id),
    risk TEXT NOT NULL,
    raised_on DATE NOT NULL,
    cleared_on DATE
);
CREATE UNIQUE INDEX collateral_alerts_open ON collateral_alerts(loan_id, right_id, risk) WHERE cleared_on IS NULL;
CREATE INDEX collateral_alerts_lender ON collateral_alerts(lender_id, raised_on);
