-- ipyun foundation schema (SQLite). Append-only: never edit a released migration.

CREATE TABLE parties (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    uscc TEXT,
    region TEXT,
    industry TEXT,
    size_class TEXT,
    park_id INTEGER REFERENCES parties(id),
    parent_id INTEGER REFERENCES parties(id),
    specialised_sme_year INTEGER,
    little_giant_year INTEGER,
    park_kind TEXT,
    office_level TEXT,
    credit_rating TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    address TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX parties_uscc ON parties(uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX parties_kind_name ON parties(kind, name);
CREATE INDEX parties_park ON parties(park_id);

CREATE TABLE rights (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    filing_date DATE NOT NULL,
    grant_date DATE,
    legal_status TEXT NOT NULL,
    annual_fee_paid_until DATE,
    nice_class INTEGER,
    ipc_main TEXT,
    renewals INTEGER NOT NULL DEFAULT 0,
    expiry_date DATE,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rights_kind_status ON rights(kind, legal_status);

CREATE TABLE right_holders (
    right_id INTEGER NOT NULL REFERENCES rights(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    uscc TEXT,
    party_id INTEGER REFERENCES parties(id),
    share_bp INTEGER NOT NULL,
    PRIMARY KEY (right_id, position)
) WITHOUT ROWID;
-- Only linked holders need the party index; only unlinked ones with a USCC wait to be linked.
CREATE INDEX right_holders_party ON right_holders(party_id) WHERE party_id IS NOT NULL;
CREATE INDEX right_holders_unlinked_uscc ON right_holders(uscc) WHERE party_id IS NULL AND uscc IS NOT NULL;

CREATE TABLE right_status_events (
    id INTEGER PRIMARY KEY,
    right_id INTEGER NOT NULL REFERENCES rights(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    effective_date DATE NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);
CREATE INDEX right_status_events_right ON right_status_events(right_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    party_id INTEGER REFERENCES parties(id),
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT NOT NULL DEFAULT 0,
    inserted BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    at TEXT NOT NULL
);
