-- Patent search and navigation (issue 8). A patent is a right of the register; what the register
-- does not hold of it (abstract, claims, applicants and inventors as published, all IPC symbols,
-- publication date, citations, family) is its patent record. The search index is derived from
-- these rows: each change takes the next number of `patent_changes`, and an index catches up by
-- reading the records changed after the last number it holds.
CREATE TABLE patent_records (
    right_id BIGINT PRIMARY KEY REFERENCES rights(id) ON DELETE CASCADE,
    abstract TEXT NOT NULL,
    claims TEXT NOT NULL,
    applicants TEXT NOT NULL,
    inventors TEXT NOT NULL,
    region_code TEXT,
    ipc TEXT NOT NULL,
    publication_date DATE,
    cited_by INTEGER NOT NULL,
    family_size INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX patent_records_change ON patent_records(change_seq);

-- The last change number handed out (one row).
CREATE TABLE patent_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL
);
INSERT INTO patent_changes (id, last_seq) VALUES (1, 0);

-- Topic collections (S3): a saved query with a name and an owner, followed by users.
CREATE TABLE topics (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    owner_user_id BIGINT NOT NULL REFERENCES users(id),
    matched BIGINT NOT NULL DEFAULT 0,
    checked_seq BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE topic_followers (
    topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    followed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX topic_followers_user ON topic_followers(user_id);

-- In-app notices to a user (new filings in a followed topic, and later other events).
CREATE TABLE user_notices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id BIGINT,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX user_notices_user ON user_notices(user_id, id);
