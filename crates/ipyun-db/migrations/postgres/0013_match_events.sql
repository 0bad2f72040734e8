-- Matchmaking events (issue 6, F3): an event scheduled by a park or an IP office, the parties
-- signed up (one active sign-up per party), meetings between a lender-side party and an
-- enterprise in time slots, and each outcome recorded. The event row keeps the active sign-ups
-- per side beside its capacity, so a sign-up is admitted by one guarded UPDATE.
CREATE TABLE match_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES parties(id),
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    region TEXT,
    park_id BIGINT REFERENCES parties(id),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    signup_deadline TIMESTAMPTZ NOT NULL,
    capacity_total BIGINT,
    capacity_lenders BIGINT,
    capacity_enterprises BIGINT,
    lender_signups BIGINT NOT NULL DEFAULT 0 CHECK (lender_signups >= 0),
    enterprise_signups BIGINT NOT NULL DEFAULT 0 CHECK (enterprise_signups >= 0),
    meeting_seq BIGINT NOT NULL DEFAULT 0,
    terms TEXT NOT NULL,
    cancelled_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX match_events_starts ON match_events(starts_at);
CREATE INDEX match_events_organiser ON match_events(organiser_id);

CREATE TABLE match_event_signups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES match_events(id),
    party_id BIGINT NOT NULL REFERENCES parties(id),
    side TEXT NOT NULL,
    status TEXT NOT NULL,
    demand_id BIGINT REFERENCES demands(id),
    signed_up_by TEXT NOT NULL,
    signed_up_at TIMESTAMPTZ NOT NULL,
    withdrawn_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX match_event_signups_active ON match_event_signups(event_id, party_id) WHERE status = 'active';
CREATE INDEX match_event_signups_party ON match_event_signups(party_id);

CREATE TABLE match_meetings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES match_events(id),
    lender_id BIGINT NOT NULL REFERENCES parties(id),
    enterprise_id BIGINT NOT NULL REFERENCES parties(id),
    demand_id BIGINT REFERENCES demands(id),
    product_id BIGINT REFERENCES products(id),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    requested_by BIGINT REFERENCES parties(id),
    outcome TEXT,
    intended_amount_fen BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX match_meetings_event ON match_meetings(event_id);

CREATE TABLE match_meeting_outcomes (
    meeting_id BIGINT NOT NULL REFERENCES match_meetings(id),
    seq BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    intended_amount_fen BIGINT,
    note TEXT,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);
