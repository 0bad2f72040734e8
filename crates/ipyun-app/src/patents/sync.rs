//! Keeping the index derived from the database: catch up from the last change number the index
//! holds (kept beside it, written after each commit), or rebuild it from every patent.

use super::{SearchService, search_error};
use crate::{App, AppError, Principal};
use ipyun_db::patents::PatentForIndex;
use ipyun_domain::account::Role;
use ipyun_domain::right::LegalStatus;
use ipyun_search::{PatentDoc, PatentKind, SearchError};
use std::sync::Arc;
use std::time::Instant;

/// Patents read per batch while indexing.
const INDEX_BATCH: i64 = 5_000;
/// The indexing writer's memory budget.
const WRITER_HEAP: usize = 256 * 1024 * 1024;
/// The file beside the index that holds the last change number indexed.
const SEQ_FILE: &str = "ipyun-indexed-change";

/// How far indexing has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    pub indexed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexReport {
    pub indexed: u64,
    /// The last change number the index now holds.
    pub change: i64,
    pub docs: u64,
    pub millis: u64,
}

/// The record the index takes for a patent of the register (its record when it has one; its
/// title, holders and main IPC otherwise).
pub(crate) fn to_doc(patent: PatentForIndex) -> Option<PatentDoc> {
    let kind = PatentKind::parse(&patent.kind)?;
    let legal_status = LegalStatus::parse(&patent.legal_status).ok()?;
    let (
        abstract_text,
        claims,
        applicants,
        inventors,
        region_code,
        ipc,
        publication,
        cited,
        family,
    ) = match patent.record {
        Some(record) => (
            record.abstract_text,
            record.claims,
            if record.applicants.is_empty() {
                patent.holders
            } else {
                record.applicants
            },
            record.inventors,
            record.region_code,
            record.ipc,
            record.publication_date,
            u32::try_from(record.cited_by).unwrap_or(0),
            u32::try_from(record.family_size).unwrap_or(0),
        ),
        None => (
            String::new(),
            Vec::new(),
            patent.holders,
            Vec::new(),
            None,
            patent.ipc_main.into_iter().collect(),
            None,
            0,
            0,
        ),
    };
    Some(PatentDoc {
        application_no: patent.number,
        kind,
        title: patent.title,
        abstract_text,
        claims,
        applicants,
        inventors,
        region_code,
        ipc,
        filing_date: patent.filing_date,
        publication_date: publication,
        grant_date: patent.grant_date,
        legal_status,
        cited_by: cited,
        family_size: family,
    })
}

fn read_seq(service: &SearchService) -> i64 {
    service
        .dir
        .as_ref()
        .and_then(|dir| std::fs::read_to_string(dir.join(SEQ_FILE)).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0)
}

/// Writes the change number after the index's commit (through a temporary file and a rename, so
/// a crash leaves the old number: the next catch-up then indexes those records again, which
/// replaces them).
fn write_seq(service: &SearchService, seq: i64) -> Result<(), SearchError> {
    if let Some(dir) = &service.dir {
        let temporary = dir.join(format!("{SEQ_FILE}.tmp"));
        std::fs::write(&temporary, seq.to_string())?;
        std::fs::rename(&temporary, dir.join(SEQ_FILE))?;
    }
    Ok(())
}

/// Docs between commits: a commit flushes segments, so not too often; a crash loses at most
/// this many docs' indexing (redone by the next sync, as the change number is written only
/// after a commit).
const COMMIT_EVERY: u64 = 200_000;

/// Changes from which a pass is a bulk load: the index is merged into one segment at its end.
const BULK_PASS: i64 = 50_000;

/// A batch for the writer thread: the docs, and the change number to record once committed
/// (`None` during a rebuild, whose number is written at its end).
type Batch = (Vec<PatentDoc>, Option<i64>);

/// The writer thread: upserts every batch it receives, commits every [`COMMIT_EVERY`] docs and
/// at the end, recording the change number of the last batch committed.
fn write_batches(
    service: &SearchService,
    mut batches: tokio::sync::mpsc::Receiver<Batch>,
    clear_first: bool,
    bulk: bool,
) -> Result<(), SearchError> {
    let mut writer = service.index.writer(WRITER_HEAP)?;
    if bulk {
        writer.bulk()?;
    }
    if clear_first {
        writer.delete_all()?;
        write_seq(service, 0)?;
    }
    let mut since_commit = 0u64;
    let mut pending_seq = None;
    while let Some((docs, seq)) = batches.blocking_recv() {
        for doc in &docs {
            match writer.upsert(doc) {
                Ok(()) => {}
                // A record the index refuses is logged and left out; the rest go on.
                Err(SearchError::InvalidDoc {
                    application_no,
                    message,
                    ..
                }) => tracing::warn!(application_no, message, "patent left out of the index"),
                Err(other) => return Err(other),
            }
        }
        since_commit += docs.len() as u64;
        pending_seq = seq.or(pending_seq);
        if since_commit >= COMMIT_EVERY {
            writer.commit()?;
            if let Some(seq) = pending_seq {
                write_seq(service, seq)?;
            }
            since_commit = 0;
        }
    }
    writer.commit()?;
    if let Some(seq) = pending_seq {
        write_seq(service, seq)?;
    }
    writer.finish()?;
    service.index.reload()
}

/// What an indexing pass reads: the records changed after a change number, or every patent of
/// the register by id (a rebuild, which empties the index first).
#[derive(Debug, Clone, Copy)]
enum Pass {
    CatchUp { after_seq: i64 },
    Rebuild,
}

impl App {
    /// Reads the pass's batches here and writes them on a blocking thread; returns the patents
    /// indexed and the last change number read (a catch-up's new position).
    async fn index_pass(
        &self,
        service: &Arc<SearchService>,
        pass: Pass,
        progress: &(dyn Fn(IndexProgress) + Send + Sync),
    ) -> Result<(u64, i64), AppError> {
        let rebuild = matches!(pass, Pass::Rebuild);
        let bulk = match pass {
            Pass::Rebuild => true,
            Pass::CatchUp { after_seq } => {
                self.db.last_patent_change().await? - after_seq >= BULK_PASS
            }
        };
        let (sender, receiver) = tokio::sync::mpsc::channel::<Batch>(2);
        let writing = Arc::clone(service);
        let writer =
            tokio::task::spawn_blocking(move || write_batches(&writing, receiver, rebuild, bulk));
        let mut cursor = match pass {
            Pass::CatchUp { after_seq } => after_seq,
            Pass::Rebuild => 0,
        };
        let mut indexed = 0u64;
        let read: Result<(), AppError> = async {
            loop {
                let batch = if rebuild {
                    self.db.patents_for_index_after(cursor, INDEX_BATCH).await?
                } else {
                    self.db.patents_changed_after(cursor, INDEX_BATCH).await?
                };
                let Some(last) = batch.last().map(|patent| {
                    if rebuild {
                        patent.right_id
                    } else {
                        patent.change_seq
                    }
                }) else {
                    break;
                };
                cursor = last;
                let docs: Vec<PatentDoc> = batch.into_iter().filter_map(to_doc).collect();
                indexed += docs.len() as u64;
                if sender
                    .send((docs, (!rebuild).then_some(last)))
                    .await
                    .is_err()
                {
                    break;
                }
                progress(IndexProgress { indexed });
            }
            Ok(())
        }
        .await;
        drop(sender);
        writer
            .await
            .map_err(|error| crate::transfer::internal("index task", error))?
            .map_err(search_error)?;
        read?;
        Ok((indexed, cursor))
    }

    /// Brings the index up to the database's last patent change. Anyone's import calls it;
    /// it is idempotent and does nothing when the index is current.
    pub async fn sync_search_index(
        &self,
        progress: &(dyn Fn(IndexProgress) + Send + Sync),
    ) -> Result<IndexReport, AppError> {
        let service = Arc::clone(self.search_service()?);
        let _one_at_a_time = service.sync.lock().await;
        let started = Instant::now();
        let held = read_seq(&service);
        let (indexed, change) = if self.db.last_patent_change().await? <= held {
            (0, held)
        } else {
            self.index_pass(&service, Pass::CatchUp { after_seq: held }, progress)
                .await?
        };
        Ok(IndexReport {
            indexed,
            change,
            docs: service.index.num_docs(),
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Empties the index and indexes every patent of the register again (administrators and
    /// offices; `ipyun reindex`). Records changed meanwhile are caught up by the next sync.
    pub async fn rebuild_search_index(
        &self,
        principal: &Principal,
        progress: &(dyn Fn(IndexProgress) + Send + Sync),
    ) -> Result<IndexReport, AppError> {
        if !matches!(
            principal.role,
            Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice
        ) {
            return Err(AppError::forbidden(
                "only administrators and the IP offices rebuild the search index",
            ));
        }
        let service = Arc::clone(self.search_service()?);
        let _one_at_a_time = service.sync.lock().await;
        let started = Instant::now();
        let change = self.db.last_patent_change().await?;
        let (indexed, _) = self.index_pass(&service, Pass::Rebuild, progress).await?;
        // The change number is written only now: a rebuild cut short starts again.
        write_seq(&service, change).map_err(search_error)?;
        Ok(IndexReport {
            indexed,
            change,
            docs: service.index.num_docs(),
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}
