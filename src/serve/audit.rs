//! The audit log: every appraisal recorded through the server, in SQLite, so a funder can show
//! later which checklist (name, version, content hash) produced which recommendation for which
//! bid (id, title and hash), and who asked for it (the reviewer an authenticating proxy names,
//! `--user-header`). One connection behind a mutex is the only writer; WAL lets readers of the
//! file (another `sqlite3`, a backup) work alongside. The schema is versioned with
//! `PRAGMA user_version`; a database an older stronger wrote is upgraded by adding the columns it
//! lacks, never by rewriting its records.
//!
//! Size policy: the log has a limit (`--max-audit-bytes`). At it, [`Audit::record`] refuses,
//! and so the server refuses to appraise, until someone archives the log: nothing here ever
//! deletes or rewrites a record funders rely on.

use crate::appraisal::Appraisal;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

/// The schema version this build writes; an older file is upgraded, a newer one refused.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE appraisals (
    n              INTEGER PRIMARY KEY AUTOINCREMENT,
    time           TEXT NOT NULL,
    bid_id         TEXT NOT NULL,
    bid_hash       TEXT NOT NULL,
    checklist      TEXT NOT NULL,
    version        TEXT NOT NULL,
    checklist_hash TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    total          REAL NOT NULL,
    complete       INTEGER NOT NULL,
    via            TEXT NOT NULL,
    appraisal      TEXT NOT NULL,
    reviewer       TEXT,
    title          TEXT
);
CREATE INDEX appraisals_bid ON appraisals (bid_id);
";

/// Columns later versions added, with their SQL type: added to an older database when missing.
/// Its entries keep them empty (`title` is then read from the recorded appraisal).
const ADDED_COLUMNS: &[(&str, &str)] = &[("reviewer", "TEXT"), ("title", "TEXT")];

/// The columns an entry is read from, in [`entry`]'s order. An entry recorded before titles
/// were stored takes its title from the appraisal it holds.
const ENTRY_COLUMNS: &str = "n, time, bid_id, bid_hash, checklist, version, checklist_hash, \
    outcome, total, complete, via, reviewer, \
    COALESCE(title, json_extract(appraisal, '$.proposal.title'), '')";

/// Entries whose bid id, title, reviewer, outcome or checklist version contain `?1`, a `LIKE`
/// pattern (see [`like_pattern`]).
const FILTER: &str = "(?1 = '' OR bid_id LIKE ?1 ESCAPE '\\' \
    OR COALESCE(title, json_extract(appraisal, '$.proposal.title'), '') LIKE ?1 ESCAPE '\\' \
    OR COALESCE(reviewer, '') LIKE ?1 ESCAPE '\\' OR outcome LIKE ?1 ESCAPE '\\' \
    OR version LIKE ?1 ESCAPE '\\')";

/// One entry of the log, without the appraisal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The entry's number: 1, 2, 3, … in the order appraisals were made.
    pub n: i64,
    /// When, in UTC (`2026-11-24T21:35:34.123Z`).
    pub time: String,
    pub bid_id: String,
    pub bid_hash: String,
    pub checklist: String,
    pub version: String,
    pub checklist_hash: String,
    pub outcome: String,
    pub total: f64,
    pub complete: bool,
    /// Which route made it: `api` (`POST /api/appraise`), `page` (the web page's "Record this
    /// appraisal", or `POST /api/report`), or a champion's route (`advise`, `what-if`, …).
    pub via: String,
    /// Who asked for it, as the `--user-header` header named them; none without the option
    /// (and in entries made before reviewers were recorded).
    pub reviewer: Option<String>,
    /// The bid's title.
    pub title: String,
}

/// The audit database.
pub struct Audit {
    conn: Mutex<Connection>,
    /// Largest size the database may reach, in bytes.
    max_bytes: u64,
}

/// Why an appraisal was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The log is at its size limit.
    #[error("the audit log is full ({bytes} of {max} bytes)")]
    Full { bytes: u64, max: u64 },
    /// SQLite failed.
    #[error("{0}")]
    Failed(AuditError),
}

/// Why the audit log could not be opened or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// The database file could not be opened.
    #[error("cannot open the audit database `{path}`: {reason}")]
    Open { path: String, reason: String },
    /// The database at `path` could not be set up.
    #[error("the audit database `{path}`: {problem}")]
    Database {
        path: String,
        problem: Box<AuditError>,
    },
    /// SQLite failed at `what` the log was doing.
    #[error("{what}: {reason}")]
    Sqlite { what: &'static str, reason: String },
    /// The database was written by a newer stronger.
    #[error(
        "schema version {found} is newer than this stronger understands ({SCHEMA_VERSION}); use a newer stronger or another `--db` file"
    )]
    Newer { found: i64 },
    /// An entry's appraisal is not the JSON it was recorded as.
    #[error("entry {n} holds an unreadable appraisal: {reason}")]
    Unreadable { n: i64, reason: String },
}

fn sql_err(what: &'static str) -> impl Fn(rusqlite::Error) -> AuditError {
    move |e| AuditError::Sqlite {
        what,
        reason: e.to_string(),
    }
}

impl Audit {
    /// Opens (or creates) the audit database at `path`.
    pub fn open(path: &Path) -> Result<Audit, AuditError> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| AuditError::Open {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        Self::init(conn).map_err(|e| AuditError::Database {
            path: shown,
            problem: Box::new(e),
        })
    }

    /// An audit log in memory, gone when the server stops (for tests and experiments).
    pub fn in_memory() -> Result<Audit, AuditError> {
        let conn = Connection::open_in_memory().map_err(sql_err("cannot open"))?;
        Self::init(conn)
    }

    fn init(conn: Connection) -> Result<Audit, AuditError> {
        // WAL: readers never block the writer. A busy file (another process) is waited on.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql_err("cannot set a busy timeout"))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql_err("cannot switch to WAL"))?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql_err("cannot read the schema version"))?;
        match version {
            0 => {
                conn.execute_batch(&format!(
                    "BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                ))
                .map_err(sql_err("cannot create the tables"))?;
            }
            1 => upgrade(&conn)?,
            SCHEMA_VERSION => {}
            found => return Err(AuditError::Newer { found }),
        }
        Ok(Audit {
            conn: Mutex::new(conn),
            max_bytes: u64::MAX,
        })
    }

    /// The same log, refusing to grow past `max_bytes`.
    pub fn limited(self, max_bytes: u64) -> Audit {
        Audit { max_bytes, ..self }
    }

    /// The database's size in bytes (its pages; the write-ahead log is folded in at checkpoints).
    pub fn bytes(&self) -> Result<u64, AuditError> {
        size(&self.conn())
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (it has its own
        // transactions), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records one appraisal, given with its JSON form (as answered, so it is made once);
    /// returns its entry number. Refused when the entry would take the log past its limit.
    pub fn record(
        &self,
        a: &Appraisal,
        json: &str,
        via: &str,
        reviewer: Option<&str>,
    ) -> Result<i64, RecordError> {
        let conn = self.conn();
        let bytes = size(&conn).map_err(RecordError::Failed)?;
        // The entry, its index entry and the row's other columns: about its JSON and a page.
        let entry = json.len() as u64 + 4096;
        if bytes.saturating_add(entry) > self.max_bytes {
            return Err(RecordError::Full {
                bytes,
                max: self.max_bytes,
            });
        }
        conn.execute(
            "INSERT INTO appraisals (time, bid_id, bid_hash, checklist, version, checklist_hash,
                                     outcome, total, complete, via, appraisal, reviewer, title)
             VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                     ?10, ?11, ?12)",
            params![
                a.proposal.id,
                a.proposal.hash,
                a.provenance.checklist,
                a.provenance.version,
                a.provenance.hash,
                a.outcome,
                a.total,
                a.complete,
                via,
                json,
                reviewer,
                a.proposal.title
            ],
        )
        .map_err(|e| RecordError::Failed(sql_err("cannot record the appraisal")(e)))?;
        Ok(conn.last_insert_rowid())
    }

    /// How many entries the log holds whose bid id, title, reviewer, outcome or checklist
    /// version contain `filter` (any case; `""` for every entry).
    pub fn count(&self, filter: &str) -> Result<i64, AuditError> {
        self.conn()
            .query_row(
                &format!("SELECT count(*) FROM appraisals WHERE {FILTER}"),
                params![like_pattern(filter)],
                |r| r.get(0),
            )
            .map_err(sql_err("cannot count the audit log"))
    }

    /// One page of the entries [`Audit::count`] counts, newest first; `page` counts from 1.
    pub fn list(&self, page: u32, per_page: u32, filter: &str) -> Result<Vec<Entry>, AuditError> {
        let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
        self.select(filter, i64::from(per_page), offset)
    }

    /// Every entry [`Audit::count`] counts, newest first (for the CSV export).
    pub fn all(&self, filter: &str) -> Result<Vec<Entry>, AuditError> {
        self.select(filter, -1, 0)
    }

    fn select(&self, filter: &str, limit: i64, offset: i64) -> Result<Vec<Entry>, AuditError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM appraisals WHERE {FILTER}
                 ORDER BY n DESC LIMIT ?2 OFFSET ?3"
            ))
            .map_err(sql_err("cannot read the audit log"))?;
        let rows = stmt
            .query_map(params![like_pattern(filter), limit, offset], entry)
            .map_err(sql_err("cannot read the audit log"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(sql_err("cannot read the audit log"))
    }

    /// Entry `n` and the full appraisal as it was recorded.
    pub fn get(&self, n: i64) -> Result<Option<(Entry, serde_json::Value)>, AuditError> {
        let conn = self.conn();
        conn.query_row(
            &format!("SELECT {ENTRY_COLUMNS}, appraisal FROM appraisals WHERE n = ?1"),
            params![n],
            |r| Ok((entry(r)?, r.get::<_, String>(13)?)),
        )
        .optional()
        .map_err(sql_err("cannot read the audit log"))?
        .map(|(e, json)| {
            serde_json::from_str(&json)
                .map(|v| (e, v))
                .map_err(|err| AuditError::Unreadable {
                    n,
                    reason: err.to_string(),
                })
        })
        .transpose()
    }
}

/// Pages × page size: the database's size.
fn size(conn: &Connection) -> Result<u64, AuditError> {
    let pages: i64 = conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .map_err(sql_err("cannot measure the audit log"))?;
    let page: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .map_err(sql_err("cannot measure the audit log"))?;
    Ok(u64::try_from(pages.saturating_mul(page)).unwrap_or(0))
}

/// A database version 1 wrote: the columns it lacks added, its records left as they are.
fn upgrade(conn: &Connection) -> Result<(), AuditError> {
    let mut have = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info('appraisals')")
            .map_err(sql_err("cannot read the table's columns"))?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(sql_err("cannot read the table's columns"))?;
        for name in names {
            have.push(name.map_err(sql_err("cannot read the table's columns"))?);
        }
    }
    let mut sql = String::from("BEGIN;");
    for (column, kind) in ADDED_COLUMNS {
        if !have.iter().any(|h| h == column) {
            sql.push_str(&format!(
                " ALTER TABLE appraisals ADD COLUMN {column} {kind};"
            ));
        }
    }
    sql.push_str(&format!(" PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"));
    conn.execute_batch(&sql)
        .map_err(sql_err("cannot add the new columns"))
}

/// `text` as a `LIKE` pattern that finds it anywhere, its `%`, `_` and `\` matched as
/// themselves (`ESCAPE '\'`); `""` stays `""` (every entry).
fn like_pattern(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        n: r.get(0)?,
        time: r.get(1)?,
        bid_id: r.get(2)?,
        bid_hash: r.get(3)?,
        checklist: r.get(4)?,
        version: r.get(5)?,
        checklist_hash: r.get(6)?,
        outcome: r.get(7)?,
        total: r.get(8)?,
        complete: r.get(9)?,
        via: r.get(10)?,
        reviewer: r.get(11)?,
        title: r.get(12)?,
    })
}
