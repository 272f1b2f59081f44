/**
 * Numbered schema migrations, applied in order at start-up inside one transaction each, tracked in
 * SQLite's `user_version`. A migration that has shipped is never edited: change the schema by adding
 * the next number.
 */
import type { Database } from 'better-sqlite3'

export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE surveys (
        id          TEXT PRIMARY KEY,
        settings    TEXT NOT NULL,          -- SurveySettings as JSON
        created_at  INTEGER NOT NULL,       -- ms since the epoch
        updated_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,       -- key_…, shown in lists; never the secret
        name        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,   -- SHA-256 of the secret, hex
        prefix      TEXT NOT NULL,          -- first characters of the secret, to tell keys apart
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      ) STRICT;

      -- One row per answer. The client's UUID and the survey identify it, so a repeat merges.
      CREATE TABLE responses (
        survey_id     TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        id            TEXT NOT NULL,
        created_at    INTEGER NOT NULL,     -- first receipt (or the imported createdAt), ms
        updated_at    INTEGER NOT NULL,
        score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
        comment       TEXT,
        respondent_id TEXT,
        locale        TEXT,
        url           TEXT,
        path          TEXT,
        device        TEXT CHECK (device IN ('desktop', 'mobile', 'tablet')),
        metadata      TEXT,                 -- JSON object or NULL
        PRIMARY KEY (survey_id, id)
      ) STRICT;

      -- Covering index of the hot read: one survey's scores in a time range.
      CREATE INDEX responses_survey_time_score ON responses (survey_id, created_at, score);
      CREATE INDEX responses_respondent ON responses (respondent_id) WHERE respondent_id IS NOT NULL;

      CREATE TABLE events (
        seq           INTEGER PRIMARY KEY,
        survey_id     TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        type          TEXT NOT NULL CHECK (type IN ('shown', 'dismissed')),
        respondent_id TEXT NOT NULL,
        response_id   TEXT,
        created_at    INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX events_survey_type_time ON events (survey_id, type, created_at);
      CREATE INDEX events_respondent ON events (respondent_id);
    `,
  },
  {
    version: 2,
    name: 'responses in export order',
    sql: `
      -- Export and JSON paging walk one survey's answers by (created_at, id); this index lets every page
      -- start at its cursor instead of sorting the survey's rows again.
      CREATE INDEX responses_survey_time_id ON responses (survey_id, created_at, id);
    `,
  },
  {
    version: 3,
    name: 'latest answer per respondent',
    sql: `
      -- NPS with latestPerRespondent=true keeps each respondent's newest answer: walking this index, one
      -- respondent's answers are adjacent and in time order, so no row is looked up and nothing is sorted.
      CREATE INDEX responses_survey_respondent_time ON responses (survey_id, respondent_id, created_at, score);
    `,
  },
]

/** Brings the database to the newest schema; a database newer than this code is refused. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.at(-1)?.version ?? 0
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this collector knows (${newest})`)
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return newest
}
