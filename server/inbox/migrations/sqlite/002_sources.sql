-- Where each note came from, as a keyed hash of the visitor's source (an
-- IPv4 address or IPv6 /64), never the address itself: the owner sees
-- repeats, and the rate limit counts sends.
ALTER TABLE notes ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- Times become fixed-width UTC text, so that comparing the text compares
-- the times: 2026-11-30T12:00:00.000Z.
UPDATE notes SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at);

CREATE INDEX notes_at ON notes (at);
CREATE INDEX notes_email ON notes (lower(email)) WHERE email <> '';

-- Each note sent, kept for an hour: the rate limit's memory. A note the
-- owner deletes still counts against its source until then.
CREATE TABLE sends (
	source TEXT NOT NULL,
	at     TEXT NOT NULL
);
CREATE INDEX sends_source_at ON sends (source, at);
