// Versioned schema migrations. PRAGMA user_version holds the number of migrations applied; each
// runs once, in its own transaction, in order. Append only: never edit a migration that shipped.
import type { Database } from 'better-sqlite3';

export const MIGRATIONS: ReadonlyArray<string> = [
  `CREATE TABLE accounts (
     id            TEXT PRIMARY KEY,
     name          TEXT NOT NULL UNIQUE,
     display_name  TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     role          TEXT NOT NULL DEFAULT 'player',
     created_at    TEXT NOT NULL,
     last_login_at TEXT,
     banned_at     TEXT,
     ban_reason    TEXT
   );
   CREATE TABLE characters (
     account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
     room_id    TEXT NOT NULL,
     status     TEXT NOT NULL DEFAULT 'online'
   );`,
  // A player's screen settings (encoding, colour, prompt) as JSON, read through PlayerSettings.
  `ALTER TABLE accounts ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';`,
];

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
