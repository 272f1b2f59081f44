/**
 * The SQLite engine's numbered schema migrations, applied in order at start-up inside one transaction
 * each, tracked in SQLite's `user_version`. A migration that has shipped is never edited: change the
 * schema by adding the next number. (The PostgreSQL engine has its own, in ../postgres/.)
 */
import type { Database } from 'better-sqlite3'
import { BackendStartError } from '../backend.ts'

/** Eleven counts of one answer, 1 where its score is that column's. */
const scoreFlags = (row: 'new' | 'old') =>
  Array.from({ length: 11 }, (_, score) => `${row}.score = ${score}`).join(', ')
const scoreColumns = Array.from({ length: 11 }, (_, score) => `s${score}`).join(', ')
const hourOf = (row: string) =>
  `((${row}.created_at) - (((${row}.created_at) % 3600000) + 3600000) % 3600000) / 3600000`
const dimensionValueOf = (row: 'new' | 'old') =>
  `coalesce('=' || CASE d.kind WHEN 'locale' THEN ${row}.locale WHEN 'device' THEN ${row}.device WHEN 'path' THEN ${row}.path ELSE (CASE json_type(${row}.metadata, d.json_path) WHEN 'text' THEN ${row}.metadata ->> d.json_path ELSE ${row}.metadata -> d.json_path END) END, '')`
/** The dimensions of a row's survey whose rollup already covers that row's time. */
const covering = (row: 'new' | 'old') =>
  `breakdown_dimensions AS d WHERE d.survey_id = ${row}.survey_id AND (d.filled_until IS NULL OR ${row}.created_at < d.filled_until)`
const addTo = (
  row: 'new' | 'old',
) => `INSERT INTO breakdown_hours (survey_id, dimension, value, hour, ${scoreColumns})
          SELECT ${row}.survey_id, d.dimension, ${dimensionValueOf(row)}, ${hourOf(row)}, ${scoreFlags(row)} FROM ${covering(row)}
          ON CONFLICT (survey_id, dimension, value, hour) DO UPDATE SET ${Array.from({ length: 11 }, (_, s) => `s${s} = s${s} + excluded.s${s}`).join(', ')};`
const takeFrom = (
  row: 'new' | 'old',
) => `UPDATE breakdown_hours SET ${Array.from({ length: 11 }, (_, s) => `s${s} = s${s} - (${row}.score = ${s})`).join(', ')}
          WHERE survey_id = ${row}.survey_id AND hour = ${hourOf(row)}
            AND (dimension, value) IN (SELECT d.dimension, ${dimensionValueOf(row)} FROM ${covering(row)});`

/**
 * Sets every answer's superseded_at from the answers themselves (migration 21, a copy's load): one
 * sort by survey and respondent. The x columns are counted afterwards ({@link SUPERSEDED_HOURS_SQL}).
 */
export const CHAIN_ALL_SQL = `UPDATE responses SET superseded_at = c.next FROM (
        SELECT survey_id, id, lead(created_at) OVER (PARTITION BY survey_id, respondent_id ORDER BY created_at, id) AS next
        FROM responses WHERE respondent_id IS NOT NULL) AS c
      WHERE responses.survey_id = c.survey_id AND responses.id = c.id AND c.next IS NOT NULL;`

/** Sets response_hours' x columns to a count of the superseded answers (hours without one keep 0). */
export const SUPERSEDED_HOURS_SQL = `UPDATE response_hours SET ${Array.from({ length: 11 }, (_, s) => `x${s} = c.x${s}`).join(', ')} FROM (
        SELECT survey_id, ${hourOf('responses')} AS hour,
          ${Array.from({ length: 11 }, (_, s) => `count(*) FILTER (WHERE score = ${s}) AS x${s}`).join(', ')}
        FROM responses WHERE superseded_at IS NOT NULL GROUP BY 1, 2) AS c
      WHERE response_hours.survey_id = c.survey_id AND response_hours.hour = c.hour;`

/**
 * The breakdown rollups' triggers since migration 20 (those of migration 15, counting only the answers
 * a dimension's rollup covers so far). Built here once, as migration 20 writes them.
 */
function breakdownTriggers(): string {
  const counted = 'survey_id, created_at, score, locale, device, path, metadata'
  return `
      CREATE TRIGGER breakdown_hours_insert AFTER INSERT ON responses
      WHEN EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id = new.survey_id)
      BEGIN
        ${addTo('new')}
      END;
      CREATE TRIGGER breakdown_hours_delete AFTER DELETE ON responses
      WHEN EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id = old.survey_id)
      BEGIN
        ${takeFrom('old')}
      END;
      CREATE TRIGGER breakdown_hours_update AFTER UPDATE OF ${counted} ON responses
      WHEN (${counted
        .split(', ')
        .map((column) => `old.${column} IS NOT new.${column}`)
        .join(' OR ')})
        AND EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id IN (old.survey_id, new.survey_id))
      BEGIN
        ${takeFrom('old')}
        ${addTo('new')}
      END;`
}

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
  {
    version: 4,
    name: 'hourly score counts',
    sql: `
      -- Eleven score counts per survey and hour (hour = floor(created_at / 1 h)), kept exact by triggers on
      -- every write, so NPS over a year reads ~9,000 small rows instead of a million answers. Hours align
      -- with every whole-hour zone's midnight; the analytics store counts the partial hours at a range's
      -- edges from the answers themselves.
      CREATE TABLE response_hours (
        survey_id TEXT NOT NULL,
        hour      INTEGER NOT NULL,
        s0 INTEGER NOT NULL DEFAULT 0, s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0, s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0, s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0, s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (survey_id, hour)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO response_hours (survey_id, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
        SELECT survey_id, ((created_at) - (((created_at) % 3600000) + 3600000) % 3600000) / 3600000, count(*) FILTER (WHERE score = 0), count(*) FILTER (WHERE score = 1), count(*) FILTER (WHERE score = 2), count(*) FILTER (WHERE score = 3), count(*) FILTER (WHERE score = 4), count(*) FILTER (WHERE score = 5), count(*) FILTER (WHERE score = 6), count(*) FILTER (WHERE score = 7), count(*) FILTER (WHERE score = 8), count(*) FILTER (WHERE score = 9), count(*) FILTER (WHERE score = 10)
        FROM responses GROUP BY 1, 2;

      CREATE TRIGGER response_hours_insert AFTER INSERT ON responses BEGIN
        INSERT INTO response_hours (survey_id, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
        VALUES (new.survey_id, ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.score = 0, new.score = 1, new.score = 2, new.score = 3, new.score = 4, new.score = 5, new.score = 6, new.score = 7, new.score = 8, new.score = 9, new.score = 10)
        ON CONFLICT (survey_id, hour) DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;
      END;

      CREATE TRIGGER response_hours_delete AFTER DELETE ON responses BEGIN
        UPDATE response_hours SET s0 = s0 - (old.score = 0), s1 = s1 - (old.score = 1), s2 = s2 - (old.score = 2), s3 = s3 - (old.score = 3), s4 = s4 - (old.score = 4), s5 = s5 - (old.score = 5), s6 = s6 - (old.score = 6), s7 = s7 - (old.score = 7), s8 = s8 - (old.score = 8), s9 = s9 - (old.score = 9), s10 = s10 - (old.score = 10)
        WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000;
      END;

      CREATE TRIGGER response_hours_update AFTER UPDATE OF survey_id, created_at, score ON responses BEGIN
        UPDATE response_hours SET s0 = s0 - (old.score = 0), s1 = s1 - (old.score = 1), s2 = s2 - (old.score = 2), s3 = s3 - (old.score = 3), s4 = s4 - (old.score = 4), s5 = s5 - (old.score = 5), s6 = s6 - (old.score = 6), s7 = s7 - (old.score = 7), s8 = s8 - (old.score = 8), s9 = s9 - (old.score = 9), s10 = s10 - (old.score = 10)
        WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000;
        INSERT INTO response_hours (survey_id, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
        VALUES (new.survey_id, ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.score = 0, new.score = 1, new.score = 2, new.score = 3, new.score = 4, new.score = 5, new.score = 6, new.score = 7, new.score = 8, new.score = 9, new.score = 10)
        ON CONFLICT (survey_id, hour) DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;
      END;

      CREATE TRIGGER response_hours_survey_delete AFTER DELETE ON surveys BEGIN
        DELETE FROM response_hours WHERE survey_id = old.id;
      END;
    `,
  },
  {
    version: 5,
    name: 'hourly event counts',
    sql: `
      -- Cards shown and dismissed per survey and hour, kept by triggers like response_hours, so response
      -- rates over a year's daily trend read a few thousand rows instead of every event.
      CREATE TABLE event_hours (
        survey_id TEXT NOT NULL,
        hour      INTEGER NOT NULL,
        shown     INTEGER NOT NULL DEFAULT 0,
        dismissed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (survey_id, hour)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO event_hours (survey_id, hour, shown, dismissed)
        SELECT survey_id, ((created_at) - (((created_at) % 3600000) + 3600000) % 3600000) / 3600000, count(*) FILTER (WHERE type = 'shown'),
          count(*) FILTER (WHERE type = 'dismissed')
        FROM events GROUP BY 1, 2;

      CREATE TRIGGER event_hours_insert AFTER INSERT ON events BEGIN
        INSERT INTO event_hours (survey_id, hour, shown, dismissed)
        VALUES (new.survey_id, ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.type = 'shown', new.type = 'dismissed')
        ON CONFLICT (survey_id, hour) DO UPDATE SET
          shown = shown + excluded.shown, dismissed = dismissed + excluded.dismissed;
      END;

      CREATE TRIGGER event_hours_delete AFTER DELETE ON events BEGIN
        UPDATE event_hours SET shown = shown - (old.type = 'shown'), dismissed = dismissed - (old.type = 'dismissed')
        WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000;
      END;

      CREATE TRIGGER event_hours_update AFTER UPDATE OF survey_id, type, created_at ON events BEGIN
        UPDATE event_hours SET shown = shown - (old.type = 'shown'), dismissed = dismissed - (old.type = 'dismissed')
        WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000;
        INSERT INTO event_hours (survey_id, hour, shown, dismissed)
        VALUES (new.survey_id, ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.type = 'shown', new.type = 'dismissed')
        ON CONFLICT (survey_id, hour) DO UPDATE SET
          shown = shown + excluded.shown, dismissed = dismissed + excluded.dismissed;
      END;

      CREATE TRIGGER event_hours_survey_delete AFTER DELETE ON surveys BEGIN
        DELETE FROM event_hours WHERE survey_id = old.id;
      END;
    `,
  },
  {
    version: 6,
    name: 'fewer indexes on responses',
    sql: `
      -- Each secondary index costs every write, and answers arrive at random respondents and UUIDs. One
      -- index now serves both the hot read (one survey's scores in a time range, covered) and export
      -- paging by (created_at, id); new answers land at its end, so it is cheap to keep. Erasure finds a
      -- respondent's answers per survey through responses_survey_respondent_time (migration 3) instead of
      -- an index of its own.
      DROP INDEX IF EXISTS responses_respondent;
      DROP INDEX IF EXISTS responses_survey_time_id;
      DROP INDEX IF EXISTS responses_survey_time_score;
      CREATE INDEX responses_survey_time ON responses (survey_id, created_at, id, score);
    `,
  },
  {
    version: 7,
    name: 'no index at random places',
    sql: `
      -- The respondent index put every new answer at a random place of a large B-tree: one more page
      -- rewritten, logged to the WAL, checkpointed and flushed per answer, about half of what storing
      -- an answer cost. The time index now carries the respondent instead; new answers land at its end.
      -- latestPerRespondent groups a time range's entries of it by respondent, and erasure reads each
      -- survey's entries of it (never the table) to find one respondent's answers.
      DROP INDEX IF EXISTS responses_survey_respondent_time;
      DROP INDEX IF EXISTS responses_survey_time;
      CREATE INDEX responses_survey_time ON responses (survey_id, created_at, id, score, respondent_id);
    `,
  },
  {
    version: 8,
    name: 'hourly counts of new answers added per commit',
    sql: `
      -- The insert trigger of migration 4 ran once per answer and was the largest single cost of storing
      -- one. The store now adds the hour's counts of all the answers a commit inserts with one upsert per
      -- survey and hour (hour-counts.ts); the update and delete triggers stay, for the rarer writes.
      -- Whatever inserts answers must count them the same way: this process is their only writer.
      DROP TRIGGER IF EXISTS response_hours_insert;
    `,
  },
  {
    version: 9,
    name: 'hourly counts kept in one place',
    sql: `
      -- Every change to the hourly counts now comes from one place, rollups.js, used by every write
      -- that adds, changes or removes an answer or an event; the remaining triggers would count twice.
      -- The counts are rebuilt once from the rows, so they start exact whatever came before.
      DROP TRIGGER IF EXISTS response_hours_delete;
      DROP TRIGGER IF EXISTS response_hours_update;
      DROP TRIGGER IF EXISTS response_hours_survey_delete;
      DROP TRIGGER IF EXISTS event_hours_insert;
      DROP TRIGGER IF EXISTS event_hours_delete;
      DROP TRIGGER IF EXISTS event_hours_update;
      DROP TRIGGER IF EXISTS event_hours_survey_delete;

      DELETE FROM response_hours;
      INSERT INTO response_hours (survey_id, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
        SELECT survey_id, ((created_at) - (((created_at) % 3600000) + 3600000) % 3600000) / 3600000, count(*) FILTER (WHERE score = 0), count(*) FILTER (WHERE score = 1), count(*) FILTER (WHERE score = 2), count(*) FILTER (WHERE score = 3), count(*) FILTER (WHERE score = 4), count(*) FILTER (WHERE score = 5), count(*) FILTER (WHERE score = 6), count(*) FILTER (WHERE score = 7), count(*) FILTER (WHERE score = 8), count(*) FILTER (WHERE score = 9), count(*) FILTER (WHERE score = 10)
        FROM responses GROUP BY 1, 2;
      DELETE FROM event_hours;
      INSERT INTO event_hours (survey_id, hour, shown, dismissed)
        SELECT survey_id, ((created_at) - (((created_at) % 3600000) + 3600000) % 3600000) / 3600000, count(*) FILTER (WHERE type = 'shown'),
          count(*) FILTER (WHERE type = 'dismissed')
        FROM events GROUP BY 1, 2;
    `,
  },
  {
    version: 10,
    name: 'key lists show the last 4 characters of a secret, not its first 8',
    sql: `
      -- The first 8 characters of a secret were half of a 16-character NPSKIT_ADMIN_KEY, in every list
      -- and in the file. They go; the last 4 are kept from now on (null for the keys stored before,
      -- until their secret is added again, as NPSKIT_ADMIN_KEY is at every start).
      ALTER TABLE api_keys ADD COLUMN last4 TEXT;
      ALTER TABLE api_keys DROP COLUMN prefix;
    `,
  },
  {
    version: 11,
    name: 'metadata key registry',
    sql: `
      -- The distinct metadata keys each survey collects (capped, or as its settings declare): CSV
      -- export's columns, read without scanning every answer's metadata. Filled from the answers so far.
      CREATE TABLE metadata_keys (
        survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        key       TEXT NOT NULL,
        PRIMARY KEY (survey_id, key)
      ) STRICT, WITHOUT ROWID;
      INSERT OR IGNORE INTO metadata_keys (survey_id, key)
        SELECT DISTINCT r.survey_id, j.key FROM responses AS r, json_each(r.metadata) AS j
        WHERE r.metadata IS NOT NULL;
    `,
  },
  {
    version: 12,
    name: 'key scopes and dashboard sessions',
    sql: `
      -- Every key made before scopes existed could do everything: it stays admin.
      ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'admin' CHECK (scope IN ('admin', 'read'));
      -- A signed-in browser: the hash of its cookie's token, never the token; the key it came from
      -- (scope and revocation are read from there, so revoking the key ends the session at once).
      CREATE TABLE sessions (
        hash        TEXT PRIMARY KEY,
        key_id      TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_by_key ON sessions (key_id);
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    `,
  },
  {
    version: 13,
    name: 'a change feed for sync',
    sql: `
      -- Every answer carries the number of its latest change: one counter per database, taken by every
      -- write that creates, merges, imports or erases an answer, so a poller reads a survey's changes in
      -- order and resumes after the last number it saw (GET /v1/surveys/{id}/changes). SQLite has one
      -- writer at a time, so numbers commit in order. Answers so far are numbered in the order they last
      -- changed.
      CREATE TABLE change_counter (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE responses ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
      UPDATE responses SET seq = n.rn FROM (
        SELECT survey_id, id, row_number() OVER (ORDER BY updated_at, created_at, survey_id, id) AS rn FROM responses
      ) AS n WHERE responses.survey_id = n.survey_id AND responses.id = n.id;
      INSERT INTO change_counter (id, value) VALUES (1, (SELECT count(*) FROM responses));
      CREATE INDEX responses_survey_seq ON responses (survey_id, seq);
      -- What a poller learns of an erased answer: its id, the change's number and time, nothing it held.
      CREATE TABLE response_tombstones (
        survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        seq       INTEGER NOT NULL,
        id        TEXT NOT NULL,
        erased_at INTEGER NOT NULL,
        PRIMARY KEY (survey_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 14,
    name: 'follow-up: cases, webhooks, emails',
    sql: `
      -- first_seq: the number of the live write that inserted the answer, kept on merges; NULL for
      -- imported, copied and earlier answers, which are history and open no case and fire no webhook.
      -- contact: the respondent's consent to be contacted ({"email": …} as JSON), kept once given.
      ALTER TABLE responses ADD COLUMN first_seq INTEGER;
      ALTER TABLE responses ADD COLUMN contact TEXT;

      CREATE TABLE cases (
        id               TEXT PRIMARY KEY,
        survey_id        TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        response_id      TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('open', 'contacted', 'resolved', 'dismissed')),
        assignee         TEXT,
        due_at           INTEGER,
        tags             TEXT NOT NULL,      -- JSON array of strings
        score            INTEGER NOT NULL,   -- the answer's, so lists and figures need no join
        answered_at      INTEGER NOT NULL,
        opened_at        INTEGER NOT NULL,
        opened_by        TEXT NOT NULL,
        updated_at       INTEGER NOT NULL,
        first_contact_at INTEGER,
        closed_at        INTEGER,
        UNIQUE (survey_id, response_id)
      ) STRICT;
      -- The inbox: one survey's (or every survey's) cases, the most recently opened first.
      CREATE INDEX cases_survey_opened ON cases (survey_id, opened_at, id);
      CREATE INDEX cases_opened ON cases (opened_at, id);

      -- Each entry takes its seq from change_counter in the transaction that writes it: the dispatcher
      -- reads a survey's entries after its cursor, as it reads answers.
      CREATE TABLE case_log (
        seq        INTEGER PRIMARY KEY,
        case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        survey_id  TEXT NOT NULL,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        kind       TEXT NOT NULL,
        note       TEXT,
        from_value TEXT,                    -- JSON
        to_value   TEXT
      ) STRICT;
      CREATE INDEX case_log_case ON case_log (case_id, seq);
      CREATE INDEX case_log_survey_seq ON case_log (survey_id, seq);

      CREATE TABLE webhook_endpoints (
        id              TEXT PRIMARY KEY,
        survey_id       TEXT REFERENCES surveys(id) ON DELETE CASCADE,   -- NULL: every survey
        url             TEXT NOT NULL,
        format          TEXT NOT NULL CHECK (format IN ('standard', 'slack')),
        events          TEXT NOT NULL,      -- JSON array
        filter          TEXT NOT NULL,      -- JSON object
        description     TEXT,
        secret          TEXT NOT NULL,
        enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        disabled_reason TEXT,
        failing_since   INTEGER,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX webhook_endpoints_survey ON webhook_endpoints (survey_id);

      -- n: creation order (several deliveries share a millisecond), the order within an order key.
      CREATE TABLE webhook_deliveries (
        n                INTEGER PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        survey_id        TEXT,
        order_key        TEXT NOT NULL,
        response_id      TEXT,
        event_type       TEXT NOT NULL,
        payload          TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER,
        last_attempt_at  INTEGER,
        last_status_code INTEGER,
        last_error       TEXT,
        last_latency_ms  INTEGER,
        delivered_at     INTEGER
      ) STRICT;
      -- Claiming: the pending ones, the oldest of each order key first; only pending rows are in it.
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, order_key, n) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      -- An endpoint's log, newest first.
      CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
      CREATE INDEX webhook_deliveries_response ON webhook_deliveries (response_id) WHERE response_id IS NOT NULL;
      CREATE INDEX webhook_deliveries_survey ON webhook_deliveries (survey_id) WHERE survey_id IS NOT NULL;

      CREATE TABLE delivery_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        n           INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        status_code INTEGER,
        error       TEXT,
        latency_ms  INTEGER NOT NULL,
        PRIMARY KEY (delivery_id, n)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE emails (
        n               INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN ('case', 'alert', 'digest')),
        survey_id       TEXT REFERENCES surveys(id) ON DELETE CASCADE,
        response_id     TEXT,
        recipients      TEXT NOT NULL,      -- JSON array
        subject         TEXT NOT NULL,
        body_text       TEXT NOT NULL,
        body_html       TEXT,
        created_at      INTEGER NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error      TEXT,
        sent_at         INTEGER
      ) STRICT;
      CREATE INDEX emails_due ON emails (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX emails_response ON emails (response_id) WHERE response_id IS NOT NULL;
      CREATE INDEX emails_survey ON emails (survey_id);

      CREATE TABLE follow_up_cursors (
        survey_id TEXT PRIMARY KEY REFERENCES surveys(id) ON DELETE CASCADE,
        seq       INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      -- Surveys so far start at the current number: their history opens nothing.
      INSERT INTO follow_up_cursors (survey_id, seq) SELECT id, (SELECT value FROM change_counter) FROM surveys;

      CREATE TABLE schedule_marks (
        survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        job       TEXT NOT NULL,
        at        INTEGER NOT NULL,
        data      TEXT NOT NULL,            -- JSON
        PRIMARY KEY (survey_id, job)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 15,
    name: 'breakdown rollups of declared dimensions',
    sql: `
      -- The dimensions each survey declares in settings.breakdowns (kept in step by the store, with
      -- the survey's settings): kind is locale, device, path or metadata; json_path the metadata key's.
      CREATE TABLE breakdown_dimensions (
        survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('locale', 'device', 'path', 'metadata')),
        json_path TEXT,
        PRIMARY KEY (survey_id, dimension)
      ) STRICT, WITHOUT ROWID;
      -- Eleven score counts per survey, declared dimension, value and hour. value is '=' and the group's
      -- value ('=en'), or '' for an answer without one, so that group has a key too.
      CREATE TABLE breakdown_hours (
        survey_id TEXT NOT NULL,
        dimension TEXT NOT NULL,
        value     TEXT NOT NULL,
        hour      INTEGER NOT NULL,
        s0 INTEGER NOT NULL DEFAULT 0, s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0, s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0, s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0, s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (survey_id, dimension, value, hour)
      ) STRICT, WITHOUT ROWID;
      -- Kept by triggers, unlike response_hours (rollups.js): every write path (live answers on the
      -- writer thread, merges, imports, a copy's load, erasure, retention) is covered by the schema
      -- itself. An answer of a survey that declares nothing pays one lookup in breakdown_dimensions; a
      -- merge that changes none of the counted columns (the usual follow-up comment) pays nothing more.
      CREATE TRIGGER breakdown_hours_insert AFTER INSERT ON responses
      WHEN EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id = new.survey_id)
      BEGIN
        INSERT INTO breakdown_hours (survey_id, dimension, value, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
          SELECT new.survey_id, d.dimension, coalesce('=' || CASE d.kind WHEN 'locale' THEN new.locale WHEN 'device' THEN new.device WHEN 'path' THEN new.path ELSE (CASE json_type(new.metadata, d.json_path) WHEN 'text' THEN new.metadata ->> d.json_path ELSE new.metadata -> d.json_path END) END, ''), ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.score = 0, new.score = 1, new.score = 2, new.score = 3, new.score = 4, new.score = 5, new.score = 6, new.score = 7, new.score = 8, new.score = 9, new.score = 10
          FROM breakdown_dimensions AS d WHERE d.survey_id = new.survey_id
          ON CONFLICT (survey_id, dimension, value, hour) DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;
      END;
      CREATE TRIGGER breakdown_hours_delete AFTER DELETE ON responses
      WHEN EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id = old.survey_id)
      BEGIN
        UPDATE breakdown_hours SET s0 = s0 - (old.score = 0), s1 = s1 - (old.score = 1), s2 = s2 - (old.score = 2), s3 = s3 - (old.score = 3), s4 = s4 - (old.score = 4), s5 = s5 - (old.score = 5), s6 = s6 - (old.score = 6), s7 = s7 - (old.score = 7), s8 = s8 - (old.score = 8), s9 = s9 - (old.score = 9), s10 = s10 - (old.score = 10)
          WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000
            AND (dimension, value) IN (SELECT d.dimension, coalesce('=' || CASE d.kind WHEN 'locale' THEN old.locale WHEN 'device' THEN old.device WHEN 'path' THEN old.path ELSE (CASE json_type(old.metadata, d.json_path) WHEN 'text' THEN old.metadata ->> d.json_path ELSE old.metadata -> d.json_path END) END, '') FROM breakdown_dimensions AS d WHERE d.survey_id = old.survey_id);
      END;
      CREATE TRIGGER breakdown_hours_update AFTER UPDATE OF survey_id, created_at, score, locale, device, path, metadata ON responses
      WHEN (old.survey_id IS NOT new.survey_id OR old.created_at IS NOT new.created_at OR old.score IS NOT new.score OR old.locale IS NOT new.locale OR old.device IS NOT new.device OR old.path IS NOT new.path OR old.metadata IS NOT new.metadata)
        AND EXISTS (SELECT 1 FROM breakdown_dimensions WHERE survey_id IN (old.survey_id, new.survey_id))
      BEGIN
        UPDATE breakdown_hours SET s0 = s0 - (old.score = 0), s1 = s1 - (old.score = 1), s2 = s2 - (old.score = 2), s3 = s3 - (old.score = 3), s4 = s4 - (old.score = 4), s5 = s5 - (old.score = 5), s6 = s6 - (old.score = 6), s7 = s7 - (old.score = 7), s8 = s8 - (old.score = 8), s9 = s9 - (old.score = 9), s10 = s10 - (old.score = 10)
          WHERE survey_id = old.survey_id AND hour = ((old.created_at) - (((old.created_at) % 3600000) + 3600000) % 3600000) / 3600000
            AND (dimension, value) IN (SELECT d.dimension, coalesce('=' || CASE d.kind WHEN 'locale' THEN old.locale WHEN 'device' THEN old.device WHEN 'path' THEN old.path ELSE (CASE json_type(old.metadata, d.json_path) WHEN 'text' THEN old.metadata ->> d.json_path ELSE old.metadata -> d.json_path END) END, '') FROM breakdown_dimensions AS d WHERE d.survey_id = old.survey_id);
        INSERT INTO breakdown_hours (survey_id, dimension, value, hour, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
          SELECT new.survey_id, d.dimension, coalesce('=' || CASE d.kind WHEN 'locale' THEN new.locale WHEN 'device' THEN new.device WHEN 'path' THEN new.path ELSE (CASE json_type(new.metadata, d.json_path) WHEN 'text' THEN new.metadata ->> d.json_path ELSE new.metadata -> d.json_path END) END, ''), ((new.created_at) - (((new.created_at) % 3600000) + 3600000) % 3600000) / 3600000, new.score = 0, new.score = 1, new.score = 2, new.score = 3, new.score = 4, new.score = 5, new.score = 6, new.score = 7, new.score = 8, new.score = 9, new.score = 10
          FROM breakdown_dimensions AS d WHERE d.survey_id = new.survey_id
          ON CONFLICT (survey_id, dimension, value, hour) DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;
      END;
    `,
  },
  {
    version: 16,
    name: 'where each answer came from',
    sql: `
      -- source: widget, api, import or link (survey links, later). Answers stored before are NULL
      -- (unknown): ADD COLUMN without a default to fill is instant, and no answer is rewritten.
      ALTER TABLE responses ADD COLUMN source TEXT CHECK (source IN ('widget', 'api', 'import', 'link'));
      -- The answers of each hour the response rate counts (source widget, or NULL: before sources were
      -- recorded those counted, so rates so far stay as they were), kept by rollups.js with the scores.
      -- Every answer so far is NULL, so the column starts as the hour's total.
      ALTER TABLE response_hours ADD COLUMN widget INTEGER NOT NULL DEFAULT 0;
      UPDATE response_hours SET widget = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10;
    `,
  },
  {
    version: 18,
    name: 'the record of retention runs and deletions',
    sql: `
      -- One row per retention run or deletion by filter, when it ended: what it applied and how many
      -- answers it deleted or anonymised. policy and filter are JSON.
      CREATE TABLE lifecycle_runs (
        id          TEXT PRIMARY KEY,
        survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('retention', 'deletion')),
        policy      TEXT,
        filter      TEXT,
        cutoff      INTEGER,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        deleted     INTEGER NOT NULL,
        anonymised  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX lifecycle_runs_by_survey ON lifecycle_runs (survey_id, started_at, id);
    `,
  },
  {
    version: 19,
    name: 'the secret that signs survey links',
    sql: `
      -- Secrets the collector makes for itself on first use (today: 'links', the HMAC key of personal
      -- survey links). Kept in the database so that every collector on it signs and checks alike and
      -- links survive a restart; never shown by any route.
      CREATE TABLE signing_secrets (
        name TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 20,
    name: 'breakdown rollups counted in batches',
    sql: `
      -- A dimension declared on a survey that has answers is counted in batches, oldest answers first
      -- (breakdowns.ts), so ingest never waits for a whole backfill. filled_until is how far that has
      -- come: answers created before it are in the rollup; NULL means all of them are. The triggers
      -- count only answers the rollup already covers; the batches count the rest.
      ALTER TABLE breakdown_dimensions ADD COLUMN filled_until INTEGER;
      DROP TRIGGER breakdown_hours_insert;
      DROP TRIGGER breakdown_hours_delete;
      DROP TRIGGER breakdown_hours_update;
      ${breakdownTriggers()}
    `,
  },
  {
    version: 21,
    name: 'each answer knows when its respondent answered again',
    sql: `
      -- superseded_at: the created_at of the same respondent's next answer in the survey (by created_at,
      -- then id); NULL for a respondent's latest answer and for answers without a respondent. The x
      -- columns of response_hours count the superseded answers per score, so latestPerRespondent reads
      -- the hourly counts (s − x) instead of ranking every answer by respondent (chains.js keeps both).
      -- The respondent index puts each answer at a random place of a B-tree, which migration 7 dropped
      -- for its cost; finding a respondent's previous answer needs it back. responses_superseded lets a
      -- trend read only the superseded answers whose successor falls in its range.
      ALTER TABLE responses ADD COLUMN superseded_at INTEGER;
      CREATE INDEX responses_chain ON responses (survey_id, respondent_id, created_at, id)
        WHERE respondent_id IS NOT NULL;
      ${CHAIN_ALL_SQL}
      CREATE INDEX responses_superseded ON responses (survey_id, superseded_at, created_at, score)
        WHERE superseded_at IS NOT NULL;
      ${Array.from({ length: 11 }, (_, s) => `ALTER TABLE response_hours ADD COLUMN x${s} INTEGER NOT NULL DEFAULT 0;`).join('\n      ')}
      ${SUPERSEDED_HOURS_SQL}
    `,
  },
]

/** Brings the database to the newest schema; a database newer than this code is refused. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.at(-1)?.version ?? 0
  if (current > newest) {
    throw new BackendStartError(
      `database schema version ${current} is newer than this collector knows (${newest}): run a newer collector`,
    )
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
