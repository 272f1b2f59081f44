/**
 * The PostgreSQL engine's numbered schema migrations, applied in order at start-up, each in a
 * transaction, tracked in `npskit_migrations`. Collectors that start at the same moment take turns on
 * an advisory lock, so each migration runs once. A migration that has shipped is never edited: change
 * the schema by adding the next number. (The SQLite engine has its own, in ../sqlite/.)
 *
 * Choices that keep both engines' answers identical: times are `bigint` milliseconds as in SQLite
 * (not `timestamptz`, which holds microseconds); ids, respondents and survey ids compare by code point
 * (`COLLATE "C"`), as SQLite's BINARY collation does, so keyset pages and sorted lists agree.
 *
 * The hourly rollups (`response_hours`, `event_hours`) are kept by statement-level triggers that read
 * the statement's transition tables: one upsert per survey and hour per statement, however many rows it
 * wrote, so a batch of answers costs one rollup update. A merge that leaves the score alone adds zero
 * and touches no rollup row. Rows are upserted in (survey, hour) order, so concurrent collectors lock
 * them in the same order.
 */
import type { Sql } from 'postgres'
import { BEFORE_ALL } from '../backend.ts'

const SCORES = Array.from({ length: 11 }, (_, score) => score)
const HOUR = 'floor(created_at::numeric / 3600000)::bigint'

/** The eleven per-score sums of `d` (+1 or −1) over rows with a `score`. */
const scoreDeltas = SCORES.map((s) => `coalesce(sum(d) FILTER (WHERE score = ${s}), 0) AS s${s}`).join(', ')
const scoreColumns = SCORES.map((s) => `s${s}`).join(', ')
const scoreUpdates = SCORES.map((s) => `s${s} = h.s${s} + excluded.s${s}`).join(', ')
const anyScore = SCORES.map((s) => `s${s} <> 0`).join(' OR ')

/** Adds the deltas of `source` (rows of survey_id, created_at, score and d) to response_hours. */
const addResponseHours = (source: string) => `
    INSERT INTO response_hours AS h (survey_id, hour, ${scoreColumns})
    SELECT * FROM (
      SELECT survey_id, ${HOUR} AS hour, ${scoreDeltas} FROM (${source}) AS c
      -- A survey being deleted takes its rollup rows with it (ON DELETE CASCADE): none to adjust.
      WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = c.survey_id)
      GROUP BY 1, 2) AS t
    WHERE ${anyScore}
    ORDER BY survey_id, hour
    ON CONFLICT (survey_id, hour) DO UPDATE SET ${scoreUpdates};`

const addEventHours = (source: string) => `
    INSERT INTO event_hours AS h (survey_id, hour, shown, dismissed)
    SELECT * FROM (
      SELECT survey_id, ${HOUR} AS hour,
        coalesce(sum(d) FILTER (WHERE type = 'shown'), 0) AS shown,
        coalesce(sum(d) FILTER (WHERE type = 'dismissed'), 0) AS dismissed
      FROM (${source}) AS c
      WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = c.survey_id)
      GROUP BY 1, 2) AS t
    WHERE shown <> 0 OR dismissed <> 0
    ORDER BY survey_id, hour
    ON CONFLICT (survey_id, hour) DO UPDATE SET shown = h.shown + excluded.shown, dismissed = h.dismissed + excluded.dismissed;`

/**
 * Migration 8's response_hours: the scores and `widget`, the answers the response rate counts (source
 * widget, or NULL: stored before sources were recorded; sqlite/rollups.js countsAsWidget).
 */
const addResponseHoursWithWidget = (source: string) => `
    INSERT INTO response_hours AS h (survey_id, hour, ${scoreColumns}, widget)
    SELECT * FROM (
      SELECT survey_id, ${HOUR} AS hour, ${scoreDeltas},
        coalesce(sum(d) FILTER (WHERE source IS NULL OR source = 'widget'), 0) AS widget
      FROM (${source}) AS c
      WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = c.survey_id)
      GROUP BY 1, 2) AS t
    WHERE ${anyScore} OR widget <> 0
    ORDER BY survey_id, hour
    ON CONFLICT (survey_id, hour) DO UPDATE SET ${scoreUpdates}, widget = h.widget + excluded.widget;`

/** The eleven per-score sums of `d` over superseded answers (superseded_at set): migration 13's x columns. */
const supersededDeltas = SCORES.map(
  (s) => `coalesce(sum(d) FILTER (WHERE score = ${s} AND superseded_at IS NOT NULL), 0) AS x${s}`,
).join(', ')
const supersededColumns = SCORES.map((s) => `x${s}`).join(', ')

/**
 * Migration 13's response_hours: as addResponseHoursWithWidget, and the superseded answers per score
 * (`x0`…`x10`), so an UPDATE that sets or clears an answer's superseded_at moves them like any change.
 */
const addResponseHoursWithSuperseded = (source: string) => `
    INSERT INTO response_hours AS h (survey_id, hour, ${scoreColumns}, widget, ${supersededColumns})
    SELECT * FROM (
      SELECT survey_id, ${HOUR} AS hour, ${scoreDeltas},
        coalesce(sum(d) FILTER (WHERE source IS NULL OR source = 'widget'), 0) AS widget, ${supersededDeltas}
      FROM (${source}) AS c
      WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = c.survey_id)
      GROUP BY 1, 2) AS t
    WHERE ${anyScore} OR widget <> 0 OR ${SCORES.map((s) => `x${s} <> 0`).join(' OR ')}
    ORDER BY survey_id, hour
    ON CONFLICT (survey_id, hour) DO UPDATE SET ${scoreUpdates}, widget = h.widget + excluded.widget,
      ${SCORES.map((s) => `x${s} = h.x${s} + excluded.x${s}`).join(', ')};`

/**
 * Sets superseded_at to `next` for the rows (survey_id, id, superseded_at, next) of `chains` where they
 * differ: the rows are compared before the table is joined, so only the answers that change are looked up.
 */
const setSuperseded = (chains: string) => `
  UPDATE responses AS r SET superseded_at = c.next
  FROM (SELECT * FROM (${chains}) AS c WHERE c.superseded_at IS DISTINCT FROM c.next) AS c
  WHERE r.survey_id = c.survey_id AND r.id = c.id`

/** Every answer's superseded_at, from all the answers (migration 13, and a copy's load). */
export const FILL_CHAINS = `${setSuperseded(`SELECT a.survey_id, a.id, a.superseded_at,
    lead(a.created_at) OVER (PARTITION BY a.survey_id, a.respondent_id ORDER BY a.created_at, a.id) AS next
    FROM responses AS a WHERE a.respondent_id IS NOT NULL`)};`

/**
 * The superseded_at of every answer of the (survey $1[i], respondent $2[i]) pairs, recomputed from their
 * answers as they are now: what every write that adds, removes, re-times or re-assigns an answer runs in
 * its transaction, after the change and before COMMIT. Only rows whose value changes are written. Each
 * pair is read on its own along responses_respondent_chain, index-only (the window inside LATERAL keeps
 * the planner from joining the pairs to every answer of the table by hash: a 60,000-answer import's small
 * batches each scanned the whole table, 30–77 s instead of 5).
 */
export const RECHAIN =
  setSuperseded(`SELECT c.* FROM (SELECT DISTINCT s, p FROM unnest($1::text[], $2::text[]) AS t (s, p)) AS t
    CROSS JOIN LATERAL (SELECT a.survey_id, a.id, a.superseded_at,
        lead(a.created_at) OVER (ORDER BY a.created_at, a.id) AS next
      FROM responses AS a WHERE a.survey_id = t.s AND a.respondent_id = t.p) AS c`)

/** A dimension's value of answer `r` as a breakdown_hours key: '=' and the value, '' for none. */
const BREAKDOWN_VALUE = `coalesce('=' || CASE d.kind WHEN 'locale' THEN r.locale WHEN 'device' THEN r.device
  WHEN 'path' THEN r.path ELSE r.metadata ->> d.key END, '')`
const BREAKDOWN_COLUMNS = 'survey_id, created_at, score, locale, device, path, metadata'

/** Adds the deltas of `source` (answers with a `d` of +1 or −1) to breakdown_hours, per declared dimension. */
const addBreakdownHours = (source: string, dimensions = '') => `
    INSERT INTO breakdown_hours AS h (survey_id, dimension, value, hour, ${scoreColumns})
    SELECT * FROM (
      SELECT r.survey_id, d.dimension, ${BREAKDOWN_VALUE} AS value, ${HOUR.replaceAll('created_at', 'r.created_at')} AS hour,
        ${SCORES.map((s) => `coalesce(sum(r.d) FILTER (WHERE r.score = ${s}), 0) AS s${s}`).join(', ')}
      FROM (${source}) AS r JOIN breakdown_dimensions AS d ON d.survey_id = r.survey_id${dimensions}
      GROUP BY 1, 2, 3, 4) AS t
    WHERE ${anyScore}
    ORDER BY survey_id, dimension, value, hour
    ON CONFLICT (survey_id, dimension, value, hour) DO UPDATE SET ${scoreUpdates};`

/**
 * addBreakdownHours since migration 12: only for the dimensions whose rollup already covers the answer's
 * time (filled_until), as the batches that count a new dimension count the rest.
 */
const addCoveredBreakdownHours = (source: string) =>
  addBreakdownHours(source, ' AND (d.filled_until IS NULL OR r.created_at < d.filled_until)')

/**
 * One batch of a new dimension's count: the answers of survey $1 created in [$2, $3) into the rollup of
 * dimension $4 (the backend's fillBreakdowns runs it).
 */
export const COUNT_BREAKDOWN_BATCH = addBreakdownHours(
  `SELECT ${BREAKDOWN_COLUMNS}, 1 AS d FROM responses WHERE survey_id = $1 AND created_at >= $2 AND created_at < $3`,
  ' AND d.dimension = $4',
)

/** One trigger function per rollup, for INSERT, UPDATE and DELETE statements alike. */
const rollupFunction = (name: string, add: (source: string) => string, columns: string, replace = false) => `
  CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${add(`SELECT ${columns}, 1 AS d FROM new_rows`)}
    ELSIF TG_OP = 'DELETE' THEN
      ${add(`SELECT ${columns}, -1 AS d FROM old_rows`)}
    ELSE
      ${add(`SELECT ${columns}, -1 AS d FROM old_rows UNION ALL SELECT ${columns}, 1 AS d FROM new_rows`)}
    END IF;
    RETURN NULL;
  END $$;`

const rollupTriggers = (table: string, fn: string) => `
  CREATE TRIGGER ${table}_rollup_insert AFTER INSERT ON ${table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${table}_rollup_update AFTER UPDATE ON ${table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${table}_rollup_delete AFTER DELETE ON ${table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`

/** Registers every metadata key of the stored answers (migration 3, and a copy's load). */
export const fillMetadataKeys = `
  INSERT INTO metadata_keys (survey_id, key)
    SELECT DISTINCT r.survey_id, k.key FROM responses AS r, jsonb_object_keys(r.metadata) AS k (key)
    WHERE r.metadata IS NOT NULL AND jsonb_typeof(r.metadata) = 'object'
      AND EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = r.survey_id)
  ON CONFLICT DO NOTHING;`

export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE surveys (
        id          text COLLATE "C" PRIMARY KEY,
        settings    json NOT NULL,            -- SurveySettings, as written (json keeps its text)
        created_at  bigint NOT NULL,          -- ms since the epoch
        updated_at  bigint NOT NULL
      );

      CREATE TABLE api_keys (
        id          text COLLATE "C" PRIMARY KEY,
        name        text NOT NULL,
        hash        text NOT NULL UNIQUE,     -- SHA-256 of the secret, hex
        prefix      text NOT NULL,
        created_at  bigint NOT NULL,
        revoked_at  bigint
      );

      -- One row per answer. The client's UUID and the survey identify it, so a repeat merges. No foreign
      -- key to surveys: its check ran once per row, the largest cost of a batch of answers after the rows
      -- themselves. Every statement that writes answers or events locks their surveys instead, once per
      -- survey (SELECT … FOR KEY SHARE), so none can be deleted under them, and deleting a survey deletes
      -- its answers and events in the same transaction.
      CREATE TABLE responses (
        survey_id     text COLLATE "C" NOT NULL,
        id            text COLLATE "C" NOT NULL,
        created_at    bigint NOT NULL,        -- first receipt (or the imported createdAt), ms
        updated_at    bigint NOT NULL,
        score         smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
        comment       text,
        respondent_id text COLLATE "C",
        locale        text,
        url           text,
        path          text,
        device        text CHECK (device IN ('desktop', 'mobile', 'tablet')),
        metadata      jsonb,
        PRIMARY KEY (survey_id, id)
      );
      -- One survey's answers in a time range, covering every count (index-only once vacuumed).
      CREATE INDEX responses_survey_time ON responses (survey_id, created_at) INCLUDE (score, id, respondent_id);
      -- Erasure finds a respondent's answers across every survey without reading the table.
      CREATE INDEX responses_respondent ON responses (respondent_id) WHERE respondent_id IS NOT NULL;

      CREATE TABLE events (
        seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        survey_id     text COLLATE "C" NOT NULL,
        type          text NOT NULL CHECK (type IN ('shown', 'dismissed')),
        respondent_id text COLLATE "C" NOT NULL,
        response_id   text,
        created_at    bigint NOT NULL
      );
      CREATE INDEX events_survey_type_time ON events (survey_id, type, created_at);
      CREATE INDEX events_respondent ON events (respondent_id);

      -- Eleven score counts per survey and hour (hour = floor(created_at / 1 h)), so NPS over a year
      -- reads ~9,000 small rows instead of a million answers; the partial hours at a range's edges are
      -- counted from responses_survey_time.
      CREATE TABLE response_hours (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        hour      bigint NOT NULL,
        ${SCORES.map((s) => `s${s} integer NOT NULL DEFAULT 0`).join(', ')},
        PRIMARY KEY (survey_id, hour)
      );
      CREATE TABLE event_hours (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        hour      bigint NOT NULL,
        shown     integer NOT NULL DEFAULT 0,
        dismissed integer NOT NULL DEFAULT 0,
        PRIMARY KEY (survey_id, hour)
      );

      ${rollupFunction('npskit_response_hours', addResponseHours, 'survey_id, created_at, score')}
      ${rollupTriggers('responses', 'npskit_response_hours')}
      ${rollupFunction('npskit_event_hours', addEventHours, 'survey_id, created_at, type')}
      ${rollupTriggers('events', 'npskit_event_hours')}
    `,
  },
  {
    version: 2,
    name: 'key lists show the last 4 characters of a secret, not its first 8',
    sql: `
      -- As SQLite's migration 10: the first 8 characters of each secret go, the last 4 are kept from now
      -- on (null for the keys stored before, until their secret is added again).
      ALTER TABLE api_keys ADD COLUMN last4 text;
      ALTER TABLE api_keys DROP COLUMN prefix;
    `,
  },
  {
    version: 3,
    name: 'metadata key registry',
    sql: `
      -- The distinct metadata keys each survey collects (capped, or as its settings declare): CSV
      -- export's columns, read without scanning every answer's metadata. Filled from the answers so far.
      CREATE TABLE metadata_keys (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        key       text COLLATE "C" NOT NULL,
        PRIMARY KEY (survey_id, key)
      );
      ${fillMetadataKeys}
    `,
  },
  {
    version: 4,
    name: 'key scopes and dashboard sessions',
    sql: `
      -- Every key made before scopes existed could do everything: it stays admin.
      ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'admin' CHECK (scope IN ('admin', 'read'));
      -- A signed-in browser: the hash of its cookie's token, never the token; the key it came from
      -- (scope and revocation are read from there, so revoking the key ends the session at once).
      CREATE TABLE sessions (
        hash        text COLLATE "C" PRIMARY KEY,
        key_id      text COLLATE "C" NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        created_at  bigint NOT NULL,
        expires_at  bigint NOT NULL
      );
      CREATE INDEX sessions_by_key ON sessions (key_id);
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    `,
  },
  {
    version: 5,
    name: 'a change feed for sync',
    sql: `
      -- Every answer carries the number of its latest change, taken from one counter row by every write
      -- that creates, merges, imports or erases an answer, in the same transaction (GET
      -- /v1/surveys/{id}/changes). The row stays locked until that transaction commits, so the next
      -- writer, from whichever collector, takes a higher number only after the lower one is visible:
      -- a poller that resumes after the last number it saw can never miss a change that commits late
      -- with a lower one (a sequence alone hands out numbers that commit out of order). Answers so far
      -- are numbered in the order they last changed.
      CREATE TABLE change_counter (
        id    integer PRIMARY KEY CHECK (id = 1),
        value bigint NOT NULL
      );
      ALTER TABLE responses ADD COLUMN seq bigint NOT NULL DEFAULT 0;
      UPDATE responses AS r SET seq = n.rn FROM (
        SELECT survey_id, id, row_number() OVER (ORDER BY updated_at, created_at, survey_id, id) AS rn FROM responses
      ) AS n WHERE r.survey_id = n.survey_id AND r.id = n.id;
      INSERT INTO change_counter (id, value) VALUES (1, (SELECT count(*) FROM responses));
      CREATE INDEX responses_survey_seq ON responses (survey_id, seq);
      -- What a poller learns of an erased answer: its id, the change's number and time, nothing it held.
      CREATE TABLE response_tombstones (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        seq       bigint NOT NULL,
        id        text COLLATE "C" NOT NULL,
        erased_at bigint NOT NULL,
        PRIMARY KEY (survey_id, seq)
      );
    `,
  },
  {
    version: 6,
    name: 'follow-up: cases, webhooks, the email outbox and the dispatcher',
    sql: `
      -- The number of the change that first stored an answer received live; null for answers imported,
      -- copied or stored before this migration (history opens no case and fires no webhook). Kept when
      -- the answer merges. A column without a default: no table rewrite.
      ALTER TABLE responses ADD COLUMN first_seq bigint;
      -- The dispatcher's feed reads live answers only: an import of a million rows after its cursor is
      -- not in this index, so it never scans them (every answer so far has none: the index is empty).
      CREATE INDEX responses_survey_live_seq ON responses (survey_id, seq) WHERE first_seq IS NOT NULL;
      -- Consent to be contacted about the answer (ContactRequest), or null: not asked, or they did not.
      ALTER TABLE responses ADD COLUMN contact jsonb;

      CREATE TABLE cases (
        id               text COLLATE "C" PRIMARY KEY,
        survey_id        text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        response_id      text COLLATE "C" NOT NULL,
        status           text NOT NULL CHECK (status IN ('open', 'contacted', 'resolved', 'dismissed')),
        assignee         text,
        due_at           bigint,
        tags             jsonb NOT NULL,           -- string[], in the order given
        score            smallint NOT NULL,      -- the answer's (its category follows from it)
        answered_at      bigint NOT NULL,
        opened_at        bigint NOT NULL,
        opened_by        text NOT NULL,
        updated_at       bigint NOT NULL,
        first_contact_at bigint,
        closed_at        bigint,
        -- One case per answer; erasure finds an answer's case here.
        UNIQUE (survey_id, response_id)
      );
      -- The inbox: a survey's (or every survey's) cases, the most recently opened first.
      CREATE INDEX cases_inbox ON cases (survey_id, opened_at DESC, id DESC);
      CREATE INDEX cases_opened ON cases (opened_at DESC, id DESC);
      CREATE INDEX cases_answered ON cases (survey_id, answered_at);

      -- Append-only; seq comes from change_counter in the transaction that writes the entry, so the
      -- dispatcher reads entries in commit order, as it reads answers (migration 5).
      CREATE TABLE case_log (
        seq        bigint PRIMARY KEY,
        case_id    text COLLATE "C" NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        survey_id  text COLLATE "C" NOT NULL,
        at         bigint NOT NULL,
        actor      text NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('opened', 'note', 'status', 'assignee', 'due', 'tags')),
        note       text,
        -- JSON as text, as in SQLite: a JSON string must not arrive as a bare JS string.
        from_value text,
        to_value   text
      );
      CREATE INDEX case_log_case ON case_log (case_id, seq);
      CREATE INDEX case_log_survey_seq ON case_log (survey_id, seq);

      CREATE TABLE webhook_endpoints (
        id              text COLLATE "C" PRIMARY KEY,
        -- null: every survey of the collector.
        survey_id       text COLLATE "C" REFERENCES surveys (id) ON DELETE CASCADE,
        url             text NOT NULL,
        format          text NOT NULL CHECK (format IN ('standard', 'slack')),
        events          jsonb NOT NULL,
        filter          jsonb NOT NULL,
        description     text,
        secret          text NOT NULL,
        enabled         boolean NOT NULL,
        disabled_reason text,
        failing_since   bigint,
        created_at      bigint NOT NULL,
        updated_at      bigint NOT NULL
      );
      CREATE INDEX webhook_endpoints_survey ON webhook_endpoints (survey_id);

      CREATE TABLE webhook_deliveries (
        id               text COLLATE "C" PRIMARY KEY,
        -- Creation order: deliveries of one endpoint and order key are sent in it.
        n                bigint GENERATED ALWAYS AS IDENTITY,
        endpoint_id      text COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        survey_id        text COLLATE "C",
        order_key        text COLLATE "C" NOT NULL,
        response_id      text COLLATE "C",
        event_type       text NOT NULL,
        payload          text NOT NULL,
        created_at       bigint NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  bigint,
        last_attempt_at  bigint,
        last_status_code integer,
        last_error       text,
        last_latency_ms  integer,
        delivered_at     bigint
      );
      -- What is due, and the oldest pending delivery of each (endpoint, order key).
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, order_key, n) WHERE status = 'pending';
      -- An endpoint's delivery log, newest first.
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
      -- Erasure finds what quotes an answer; deleting a survey, what carries its answers.
      CREATE INDEX webhook_deliveries_response ON webhook_deliveries (response_id) WHERE response_id IS NOT NULL;
      CREATE INDEX webhook_deliveries_survey ON webhook_deliveries (survey_id) WHERE survey_id IS NOT NULL;

      CREATE TABLE delivery_attempts (
        delivery_id text COLLATE "C" NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        n           integer NOT NULL,
        at          bigint NOT NULL,
        status_code integer,
        error       text,
        latency_ms  integer NOT NULL,
        PRIMARY KEY (delivery_id, n)
      );

      CREATE TABLE emails (
        id              text COLLATE "C" PRIMARY KEY,
        n               bigint GENERATED ALWAYS AS IDENTITY,
        kind            text NOT NULL CHECK (kind IN ('case', 'alert', 'digest')),
        survey_id       text COLLATE "C" REFERENCES surveys (id) ON DELETE CASCADE,
        response_id     text COLLATE "C",
        recipients      jsonb NOT NULL,           -- string[]
        subject         text NOT NULL,
        body_text       text NOT NULL,
        body_html       text,
        created_at      bigint NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at bigint,
        last_error      text,
        sent_at         bigint
      );
      CREATE INDEX emails_due ON emails (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX emails_response ON emails (response_id) WHERE response_id IS NOT NULL;
      CREATE INDEX emails_survey ON emails (survey_id) WHERE survey_id IS NOT NULL;

      -- The number of the last change the dispatcher acted on, per survey.
      CREATE TABLE follow_up_cursors (
        survey_id text COLLATE "C" PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
        seq       bigint NOT NULL
      );
      -- Surveys so far start at the current number: their history opens nothing.
      INSERT INTO follow_up_cursors (survey_id, seq) SELECT s.id, c.value FROM surveys AS s, change_counter AS c;

      -- When a scheduled job (digest, alert) of a survey last ran, and what it keeps between runs.
      CREATE TABLE schedule_marks (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        job       text COLLATE "C" NOT NULL,
        at        bigint NOT NULL,
        data      text NOT NULL,            -- JSON
        PRIMARY KEY (survey_id, job)
      );
    `,
  },
  {
    version: 7,
    name: 'breakdown rollups of declared dimensions',
    sql: `
      -- The dimensions each survey declares in settings.breakdowns: kind is locale, device, path or
      -- metadata (key: the metadata key). Kept in step with the settings by a trigger on surveys below.
      CREATE TABLE breakdown_dimensions (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        dimension text COLLATE "C" NOT NULL,
        kind      text NOT NULL CHECK (kind IN ('locale', 'device', 'path', 'metadata')),
        key       text,
        PRIMARY KEY (survey_id, dimension)
      );
      -- Eleven score counts per survey, declared dimension, value and hour. value is '=' and the
      -- group's value ('=en'), or '' for answers without one, so that group has a key too.
      CREATE TABLE breakdown_hours (
        survey_id text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        dimension text COLLATE "C" NOT NULL,
        value     text COLLATE "C" NOT NULL,
        hour      bigint NOT NULL,
        ${SCORES.map((s) => `s${s} integer NOT NULL DEFAULT 0`).join(', ')},
        PRIMARY KEY (survey_id, dimension, value, hour)
      );

      -- Like response_hours: statement-level triggers over the transition tables, one upsert per
      -- (survey, dimension, value, hour) a statement changes. A database where no survey declares a
      -- dimension returns at once; a merge that changes nothing counted sums to zero and writes nothing.
      CREATE FUNCTION npskit_breakdown_hours() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM breakdown_dimensions) THEN RETURN NULL; END IF;
        IF TG_OP = 'INSERT' THEN
          ${addBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, 1 AS d FROM new_rows`)}
        ELSIF TG_OP = 'DELETE' THEN
          ${addBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, -1 AS d FROM old_rows`)}
        ELSE
          ${addBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, -1 AS d FROM old_rows UNION ALL SELECT ${BREAKDOWN_COLUMNS}, 1 AS d FROM new_rows`)}
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER responses_breakdown_insert AFTER INSERT ON responses
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION npskit_breakdown_hours();
      CREATE TRIGGER responses_breakdown_update AFTER UPDATE ON responses
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION npskit_breakdown_hours();
      CREATE TRIGGER responses_breakdown_delete AFTER DELETE ON responses
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION npskit_breakdown_hours();

      -- A survey's settings decide its dimensions, whoever writes them (create, PATCH, a copy's load):
      -- one no longer declared goes with its counts; a new one is counted from the answers so far, in the
      -- transaction that declares it.
      CREATE FUNCTION npskit_breakdown_dimensions() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        wanted text[] := ARRAY(SELECT json_array_elements_text(coalesce(NEW.settings -> 'breakdowns', '[]'::json)));
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (OLD.settings -> 'breakdowns')::text IS NOT DISTINCT FROM (NEW.settings -> 'breakdowns')::text THEN
            RETURN NULL;
          END IF;
          -- Answers being written now either commit before the backfill reads (and are counted by it)
          -- or wait until this commits (and their trigger sees the new dimensions): none counted twice
          -- or missed, no stale rows of a dropped dimension. Ingest waits for the backfill.
          LOCK TABLE responses IN SHARE MODE;
        END IF;
        DELETE FROM breakdown_hours AS h WHERE h.survey_id = NEW.id AND h.dimension <> ALL (wanted);
        DELETE FROM breakdown_dimensions AS d WHERE d.survey_id = NEW.id AND d.dimension <> ALL (wanted);
        WITH added AS (
          INSERT INTO breakdown_dimensions AS d (survey_id, dimension, kind, key)
            SELECT NEW.id, w.dimension,
              CASE WHEN w.dimension LIKE 'metadata.%' THEN 'metadata' ELSE w.dimension END,
              CASE WHEN w.dimension LIKE 'metadata.%' THEN substr(w.dimension, 10) END
            FROM unnest(wanted) AS w (dimension)
            ON CONFLICT DO NOTHING
            RETURNING d.survey_id, d.dimension, d.kind, d.key)
        INSERT INTO breakdown_hours (survey_id, dimension, value, hour, ${scoreColumns})
          SELECT d.survey_id, d.dimension, ${BREAKDOWN_VALUE} AS value, ${HOUR.replaceAll('created_at', 'r.created_at')} AS hour,
            ${SCORES.map((s) => `count(*) FILTER (WHERE r.score = ${s})`).join(', ')}
          FROM added AS d JOIN responses AS r ON r.survey_id = d.survey_id
          GROUP BY 1, 2, 3, 4;
        RETURN NULL;
      END $$;
      CREATE TRIGGER surveys_breakdowns AFTER INSERT OR UPDATE OF settings ON surveys
        FOR EACH ROW EXECUTE FUNCTION npskit_breakdown_dimensions();
    `,
  },
  {
    version: 8,
    name: 'where each answer came from',
    sql: `
      -- source: widget, api, import or link (survey links, later). Answers stored before are NULL
      -- (unknown): a column without a default is added without rewriting the table.
      ALTER TABLE responses ADD COLUMN source text CHECK (source IN ('widget', 'api', 'import', 'link'));
      -- The answers of each hour the response rate counts, kept by the same trigger as the scores. Every
      -- answer so far is NULL, so the column starts as the hour's total (the rollup's rows, not the answers).
      ALTER TABLE response_hours ADD COLUMN widget integer NOT NULL DEFAULT 0;
      UPDATE response_hours SET widget = ${scoreColumns.replaceAll(', ', ' + ')};
      ${rollupFunction('npskit_response_hours', addResponseHoursWithWidget, 'survey_id, created_at, score, source', true)}
    `,
  },
  {
    version: 10,
    name: 'the record of retention runs and deletions',
    sql: `
      -- One row per retention run or deletion by filter, when it ended: what it applied and how many
      -- answers it deleted or anonymised. policy and filter are JSON.
      CREATE TABLE lifecycle_runs (
        id          text COLLATE "C" PRIMARY KEY,
        survey_id   text COLLATE "C" NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        kind        text NOT NULL CHECK (kind IN ('retention', 'deletion')),
        policy      text,
        filter      text,
        cutoff      bigint,
        started_at  bigint NOT NULL,
        finished_at bigint NOT NULL,
        deleted     integer NOT NULL,
        anonymised  integer NOT NULL
      );
      CREATE INDEX lifecycle_runs_by_survey ON lifecycle_runs (survey_id, started_at, id);
    `,
  },
  {
    version: 11,
    name: 'the secret that signs survey links',
    sql: `
      -- Secrets the collector makes for itself on first use (today: 'links', the HMAC key of personal
      -- survey links). Kept in the database so that every collector on it signs and checks alike and
      -- links survive a restart; never shown by any route.
      CREATE TABLE signing_secrets (
        name text PRIMARY KEY,
        secret text NOT NULL,
        created_at bigint NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: 'breakdown rollups counted in batches',
    sql: `
      -- A dimension declared on a survey that has answers is counted in batches, oldest answers first
      -- (the backend's fillBreakdowns), not in the transaction that declares it, so ingest waits for one
      -- batch at most. filled_until is how far the batches have come: answers created before it are in
      -- the rollup; NULL means all of them are. The trigger counts only answers the rollup covers.
      ALTER TABLE breakdown_dimensions ADD COLUMN filled_until bigint;
      CREATE OR REPLACE FUNCTION npskit_breakdown_hours() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM breakdown_dimensions) THEN RETURN NULL; END IF;
        IF TG_OP = 'INSERT' THEN
          ${addCoveredBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, 1 AS d FROM new_rows`)}
        ELSIF TG_OP = 'DELETE' THEN
          ${addCoveredBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, -1 AS d FROM old_rows`)}
        ELSE
          ${addCoveredBreakdownHours(`SELECT ${BREAKDOWN_COLUMNS}, -1 AS d FROM old_rows UNION ALL SELECT ${BREAKDOWN_COLUMNS}, 1 AS d FROM new_rows`)}
        END IF;
        RETURN NULL;
      END $$;
      -- A new dimension starts complete on a survey without answers (a new survey, a copy's load before
      -- its answers), else empty, for the batches.
      CREATE OR REPLACE FUNCTION npskit_breakdown_dimensions() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        wanted text[] := ARRAY(SELECT json_array_elements_text(coalesce(NEW.settings -> 'breakdowns', '[]'::json)));
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (OLD.settings -> 'breakdowns')::text IS NOT DISTINCT FROM (NEW.settings -> 'breakdowns')::text THEN
            RETURN NULL;
          END IF;
          -- Answers being written now commit before this reads (and the batches count them) or wait
          -- for it (and their trigger sees the dimensions as they are now): no stale row of a dropped
          -- dimension. Ingest waits only for these few statements.
          LOCK TABLE responses IN SHARE MODE;
        END IF;
        DELETE FROM breakdown_hours AS h WHERE h.survey_id = NEW.id AND h.dimension <> ALL (wanted);
        DELETE FROM breakdown_dimensions AS d WHERE d.survey_id = NEW.id AND d.dimension <> ALL (wanted);
        INSERT INTO breakdown_dimensions AS d (survey_id, dimension, kind, key, filled_until)
          SELECT NEW.id, w.dimension,
            CASE WHEN w.dimension LIKE 'metadata.%' THEN 'metadata' ELSE w.dimension END,
            CASE WHEN w.dimension LIKE 'metadata.%' THEN substr(w.dimension, 10) END,
            CASE WHEN EXISTS (SELECT 1 FROM responses AS r WHERE r.survey_id = NEW.id) THEN ${BEFORE_ALL} END
          FROM unnest(wanted) AS w (dimension)
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
    `,
  },
  {
    version: 13,
    name: 'superseded answers for latest-per-respondent counts',
    sql: `
      -- The created_at of the same respondent's next answer in the survey (by created_at, then id); NULL
      -- for each respondent's latest answer and for answers without a respondent. An answer is its
      -- respondent's latest in [start, end) exactly when start <= created_at < end and superseded_at is
      -- NULL or >= end. Kept by every write of answers in its own transaction (RECHAIN above), never by
      -- a trigger: a per-statement rechain made a 60,000-answer import take minutes.
      ALTER TABLE responses ADD COLUMN superseded_at bigint;
      -- Per hour and score, the answers that have a successor: a window's latest counts are its hours'
      -- s - x, and the edges and the answers superseded at or after its end from the answers.
      ALTER TABLE response_hours ${SCORES.map((s) => `ADD COLUMN x${s} integer NOT NULL DEFAULT 0`).join(', ')};
      ${rollupFunction('npskit_response_hours', addResponseHoursWithSuperseded, 'survey_id, created_at, score, source, superseded_at', true)}
      -- Filled after the trigger is replaced, so the trigger counts the x columns as it sets each answer.
      ${FILL_CHAINS}
      -- A respondent's answers in a survey in order, for RECHAIN; it serves erasure and a respondent's
      -- history (by respondent first) as responses_respondent did, so it replaces that one.
      CREATE INDEX responses_respondent_chain ON responses (respondent_id, survey_id, created_at, id)
        INCLUDE (superseded_at) WHERE respondent_id IS NOT NULL;
      DROP INDEX responses_respondent;
      -- The superseded answers whose successor came at or after a time (a window's end), index-only.
      CREATE INDEX responses_superseded ON responses (survey_id, superseded_at) INCLUDE (created_at, score)
        WHERE superseded_at IS NOT NULL;
    `,
  },
]

/** Any constant; collectors starting at once serialise their migrations on it. */
const MIGRATION_LOCK = 0x6e70736b

/** Brings the database to the newest schema; a database newer than this code is refused. */
export async function migrate(sql: Sql): Promise<number> {
  const newest = migrations.at(-1)?.version ?? 0
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`
    await tx`CREATE TABLE IF NOT EXISTS npskit_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
    const [row] = await tx<
      { version: number | null }[]
    >`SELECT max(version) AS version FROM npskit_migrations`
    const current = row?.version ?? 0
    if (current > newest) {
      throw new Error(`database schema version ${current} is newer than this collector knows (${newest})`)
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue
      await tx.unsafe(migration.sql)
      await tx`INSERT INTO npskit_migrations (version, name) VALUES (${migration.version}, ${migration.name})`
    }
  })
  return newest
}
