-- Schema 1: the rooms, their events in order, their snapshots, and a few settings.
CREATE TABLE rooms (
	code       TEXT    PRIMARY KEY,
	created    INTEGER NOT NULL, -- Unix milliseconds of the room's first record
	last_event INTEGER NOT NULL  -- Unix milliseconds of its newest record
);

CREATE TABLE events (
	code TEXT    NOT NULL REFERENCES rooms (code) ON DELETE CASCADE,
	seq  INTEGER NOT NULL,
	kind INTEGER NOT NULL,
	data BLOB    NOT NULL,
	at   INTEGER NOT NULL, -- Unix milliseconds when the log received it
	PRIMARY KEY (code, seq)
) WITHOUT ROWID;

CREATE TABLE snapshots (
	code TEXT    NOT NULL REFERENCES rooms (code) ON DELETE CASCADE,
	seq  INTEGER NOT NULL,
	data BLOB    NOT NULL,
	PRIMARY KEY (code, seq)
) WITHOUT ROWID;

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
