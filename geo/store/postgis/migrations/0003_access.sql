-- API keys and the audit log (DESIGN.md "Access").
--
-- Keys: only the SHA-256 of a key's secret is stored; the token itself is
-- shown once, by `hotspot keys create`.
CREATE TABLE api_keys (
    id      text COLLATE "C" PRIMARY KEY,
    name    text        NOT NULL,
    role    text        NOT NULL CHECK (role IN ('public', 'partner', 'analyst', 'admin')),
    hash    text        NOT NULL,
    created timestamptz NOT NULL,
    revoked timestamptz
);

-- The audit log is append-only: the service only inserts, and the
-- triggers below refuse any UPDATE, DELETE or TRUNCATE, whoever asks, so
-- an entry cannot be changed through the service or by a mistaken query.
-- (A superuser can still drop the triggers; that is outside the service.)
CREATE TABLE audit_log (
    seq    bigserial   PRIMARY KEY,
    at     timestamptz NOT NULL,
    key_id text        NOT NULL,
    method text        NOT NULL,
    path   text        NOT NULL,
    rows   integer     NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
