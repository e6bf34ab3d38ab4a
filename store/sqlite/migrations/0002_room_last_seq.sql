-- Schema 2: each room remembers the sequence number of its newest record, so that after a
-- restart the log knows at once what is already written (Committed answers without a scan).
ALTER TABLE rooms ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;

UPDATE rooms SET last_seq = max(
	coalesce((SELECT max(seq) FROM events WHERE events.code = rooms.code), 0),
	coalesce((SELECT max(seq) FROM snapshots WHERE snapshots.code = rooms.code), 0)
);
