-- A realised price is recorded once: the same right, kind, amount and date is one price, however
-- many times a file holding it is imported (issue 5, V3 back-test data).
DELETE FROM realised_prices
WHERE id NOT IN (
    SELECT MIN(id) FROM realised_prices GROUP BY right_number, kind, amount_fen, on_date
);
CREATE UNIQUE INDEX realised_prices_key ON realised_prices(right_number, kind, amount_fen, on_date);
