-- Pledge registration (P1–P7), the hash-chained audit log (A3) and announced calendars (P3). PostgreSQL.

-- A3: every audit entry from here on carries its place in the chain and the hash of the one before.
-- Entries written before this migration keep NULLs and stay outside the chain.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE pledges (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_no TEXT NOT NULL UNIQUE,
    application_id BIGINT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    pledge_type TEXT NOT NULL,
    pledgor_id BIGINT NOT NULL REFERENCES parties(id),
    pledgee_id BIGINT NOT NULL REFERENCES parties(id),
    secured_amount_fen BIGINT,
    performance_end DATE,
    verification_code TEXT NOT NULL,
    registered_on DATE NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL,
    cancelled_on DATE,
    cancellation_reason TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pledges_pledgor ON pledges(pledgor_id);
CREATE INDEX pledges_pledgee ON pledges(pledgee_id);
CREATE INDEX pledges_registered_on ON pledges(registered_on);

CREATE TABLE pledge_applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    act TEXT NOT NULL,
    status TEXT NOT NULL,
    pledge_type TEXT NOT NULL,
    pledgor_id BIGINT NOT NULL REFERENCES parties(id),
    pledgee_id BIGINT NOT NULL REFERENCES parties(id),
    drafted_by_party BIGINT NOT NULL REFERENCES parties(id),
    created_by TEXT NOT NULL,
    confirmed_by TEXT,
    target_pledge_id BIGINT REFERENCES pledges(id),
    green_channel BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    findings TEXT NOT NULL,
    received_at TIMESTAMPTZ,
    due_date DATE,
    due_provisional BOOLEAN NOT NULL DEFAULT FALSE,
    decided_at TIMESTAMPTZ,
    decided_by TEXT,
    registration_no TEXT,
    verification_code TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pledge_applications_status ON pledge_applications(status, green_channel, due_date);
CREATE INDEX pledge_applications_pledgor ON pledge_applications(pledgor_id);
CREATE INDEX pledge_applications_pledgee ON pledge_applications(pledgee_id);

-- Each change of an application's status, for the decision clock (stops while a defect is cured).
CREATE TABLE pledge_application_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES pledge_applications(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pledge_application_events_application ON pledge_application_events(application_id);

-- The rights a pledge binds. The database itself refuses a second active pledge over one right (P7).
CREATE TABLE pledge_rights (
    pledge_id BIGINT NOT NULL REFERENCES pledges(id),
    position INTEGER NOT NULL,
    right_number TEXT NOT NULL,
    right_kind TEXT NOT NULL,
    right_id BIGINT REFERENCES rights(id),
    active BOOLEAN NOT NULL,
    PRIMARY KEY (pledge_id, position)
);
CREATE UNIQUE INDEX pledge_rights_one_active ON pledge_rights(right_number) WHERE active;
CREATE INDEX pledge_rights_number ON pledge_rights(right_number);

-- A retried submission answers with the application the first one made.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES pledge_applications(id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE TABLE pledge_attachments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES pledge_applications(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pledge_attachments_application ON pledge_attachments(application_id);

-- The key notices are signed with (one active; older ones kept so old notices still verify).
CREATE TABLE notice_keys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    secret_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Working-day exceptions of years announced after the build (`ipyun calendar load`).
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);
