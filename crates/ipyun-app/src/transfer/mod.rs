//! Import and export of rights and parties, as CSV or XLSX (feature R4).
