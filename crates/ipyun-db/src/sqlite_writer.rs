//! The SQLite write path of the hottest transactions (pledge applications and decisions): one
//! writer thread with its own connection commits them in groups. Each job runs inside a savepoint
//! of a shared transaction; one `COMMIT` (one fsync) makes the whole group durable, and only then
//! does each caller get its answer, so an acknowledged write is never lost. A job that fails rolls
//! back to its savepoint alone. Writers never busy-wait on each other: the queue orders them.
//! PostgreSQL has no such path: it commits concurrent transactions in groups itself.

use crate::DbError;
use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc;

/// Most jobs in one commit.
const MAX_GROUP: usize = 256;
/// Most jobs waiting: a full queue makes callers wait (back-pressure), never drops a job.
const QUEUE: usize = 4_096;

trait WriteJob: Send {
    /// Runs the job's statements; false when it failed (its savepoint is then rolled back).
    fn run(&mut self, connection: &Connection) -> bool;
    /// Answers the caller once the group's commit is known.
    fn finish(self: Box<Self>, committed: Result<(), DbError>);
}

struct Job<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, DbError>>,
    reply: tokio::sync::oneshot::Sender<Result<T, DbError>>,
}

impl<T: Send, F: FnOnce(&Connection) -> Result<T, DbError> + Send> WriteJob for Job<T, F> {
    fn run(&mut self, connection: &Connection) -> bool {
        let outcome = match self.work.take() {
            Some(work) => work(connection),
            None => Err(DbError::Unavailable("job ran twice".into())),
        };
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, committed: Result<(), DbError>) {
        let answer = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => outcome,
            (Ok(()), None) => Err(DbError::Unavailable("job never ran".into())),
            // The job's own failure explains more than the group's.
            (Err(_), Some(Err(error))) => Err(error),
            (Err(error), _) => Err(error),
        };
        let _ = self.reply.send(answer);
    }
}

/// Maps a rusqlite error to the store's error, keeping constraint messages (they name the index).
pub(crate) fn write_error(error: rusqlite::Error) -> DbError {
    match error {
        rusqlite::Error::SqliteFailure(failure, message) => match failure.code {
            rusqlite::ErrorCode::ConstraintViolation => {
                DbError::Constraint(message.unwrap_or_else(|| failure.to_string()))
            }
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                DbError::Unavailable(failure.to_string())
            }
            _ => DbError::Unavailable(format!(
                "sqlite write: {failure} {}",
                message.unwrap_or_default()
            )),
        },
        rusqlite::Error::QueryReturnedNoRows => DbError::NotFound,
        other => DbError::Unavailable(format!("sqlite write: {other}")),
    }
}

#[derive(Debug)]
pub(crate) struct SqliteWriter {
    sender: mpsc::SyncSender<Box<dyn WriteJob>>,
}

impl SqliteWriter {
    pub(crate) fn open(path: &Path) -> Result<SqliteWriter, DbError> {
        let connection = Connection::open(path).map_err(|error| {
            DbError::Unavailable(format!(
                "cannot open {} for writing: {error}",
                path.display()
            ))
        })?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA temp_store = memory;",
            )
            .map_err(write_error)?;
        let (sender, receiver) = mpsc::sync_channel::<Box<dyn WriteJob>>(QUEUE);
        std::thread::Builder::new()
            .name("ipyun-sqlite-writer".into())
            .spawn(move || run(connection, receiver))
            .map_err(|error| DbError::Unavailable(format!("cannot start the writer: {error}")))?;
        Ok(SqliteWriter { sender })
    }

    /// Runs `work` in the next group commit and answers once it is durable.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Box<dyn WriteJob> = Box::new(Job {
            work: Some(work),
            outcome: None,
            reply,
        });
        let sender = self.sender.clone();
        // A full queue blocks the sender: wait for room off the async threads.
        match sender.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(job)) => {
                tokio::task::spawn_blocking(move || sender.send(job))
                    .await
                    .map_err(|_| DbError::Unavailable("writer queue".into()))?
                    .map_err(|_| DbError::Unavailable("the writer stopped".into()))?;
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(DbError::Unavailable("the writer stopped".into()));
            }
        }
        answer
            .await
            .map_err(|_| DbError::Unavailable("the writer stopped".into()))?
    }
}

fn run(connection: Connection, receiver: mpsc::Receiver<Box<dyn WriteJob>>) {
    while let Ok(first) = receiver.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let committed = commit_group(&connection, &mut group);
        if committed.is_err() {
            let _ = connection.execute_batch("ROLLBACK");
        }
        for job in group {
            job.finish(committed.clone());
        }
    }
}

fn commit_group(connection: &Connection, group: &mut [Box<dyn WriteJob>]) -> Result<(), DbError> {
    connection
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(write_error)?;
    for job in group.iter_mut() {
        connection
            .execute_batch("SAVEPOINT job")
            .map_err(write_error)?;
        if job.run(connection) {
            connection
                .execute_batch("RELEASE job")
                .map_err(write_error)?;
        } else {
            connection
                .execute_batch("ROLLBACK TO job; RELEASE job")
                .map_err(write_error)?;
        }
    }
    connection.execute_batch("COMMIT").map_err(write_error)
}

impl Clone for DbError {
    fn clone(&self) -> Self {
        match self {
            DbError::NotFound => DbError::NotFound,
            DbError::Constraint(message) => DbError::Constraint(message.clone()),
            DbError::Stale(message) => DbError::Stale(message.clone()),
            DbError::Unavailable(message) => DbError::Unavailable(message.clone()),
            DbError::Migration(message) => DbError::Migration(message.clone()),
            DbError::Corrupt(message) => DbError::Corrupt(message.clone()),
            DbError::Other(error) => DbError::Unavailable(error.to_string()),
        }
    }
}
