-- The notes visitors leave: one row each, kept until the owner deletes it.
CREATE TABLE notes (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	at      TEXT    NOT NULL,
	name    TEXT    NOT NULL,
	email   TEXT    NOT NULL DEFAULT '',
	message TEXT    NOT NULL DEFAULT '',
	contact INTEGER NOT NULL
);
