-- Where each note came from, as a keyed hash of the visitor's source,
-- never the address; and each send, kept for an hour, for the rate limit.
ALTER TABLE notes ADD COLUMN source TEXT NOT NULL DEFAULT '';

CREATE INDEX notes_at ON notes (at);
CREATE INDEX notes_email ON notes (lower(email)) WHERE email <> '';

CREATE TABLE sends (
	source TEXT        NOT NULL,
	at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sends_source_at ON sends (source, at);
