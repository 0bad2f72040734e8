//! The fast (columnar) values a collector reads per matching document.

use tantivy::SegmentReader;
use tantivy::columnar::Column;

use crate::schema::names;

/// A u64 column, or an empty one when no document of the segment has a value.
pub(crate) fn u64_column(reader: &SegmentReader, name: &str) -> tantivy::Result<Column<u64>> {
    Ok(reader
        .fast_fields()
        .column_opt::<u64>(name)?
        .unwrap_or_else(|| Column::build_empty_column(reader.max_doc())))
}

/// The columns the landscape reads.
pub(crate) struct SegmentColumns {
    pub key: Column<u64>,
    pub filing_day: Column<u64>,
    pub ipc_sub: Column<u64>,
    pub applicant_id: Column<u64>,
    pub grant_day: Column<u64>,
}

impl SegmentColumns {
    pub fn open(reader: &SegmentReader) -> tantivy::Result<Self> {
        Ok(SegmentColumns {
            key: u64_column(reader, names::FACET_KEY)?,
            filing_day: u64_column(reader, names::FILING_DAY)?,
            ipc_sub: u64_column(reader, names::IPC_SUB)?,
            applicant_id: u64_column(reader, names::APPLICANT_ID)?,
            grant_day: u64_column(reader, names::GRANT_DAY)?,
        })
    }
}
