-- The finance marketplace's product catalogue (issue 6, F1): each product with its terms in
-- force (the domain's JSON, and the columns lists filter on), each version kept.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    publisher_id BIGINT NOT NULL REFERENCES parties(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    amount_min_fen BIGINT NOT NULL,
    amount_max_fen BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE,
    terms TEXT NOT NULL,
    withdrawn_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_publisher ON products(publisher_id);
CREATE INDEX products_kind ON products(kind, status);

CREATE TABLE product_versions (
    product_id BIGINT NOT NULL REFERENCES products(id),
    version BIGINT NOT NULL,
    terms TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (product_id, version)
);
