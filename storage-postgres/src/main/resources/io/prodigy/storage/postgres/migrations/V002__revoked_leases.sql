-- prodigy-storage PostgreSQL schema, version 2 (SPI v2).
-- A force-released lease revokes its token (its holder's fences fail at once) instead of raising the token; the
-- next grant takes token + 1 and clears the flag.
ALTER TABLE locks ADD COLUMN revoked boolean NOT NULL DEFAULT false;
