//! Pledge-registration notices as signed, verifiable documents and printable PDFs.
//!
//! A [`NoticeDocument`] is what the office tells the parties: registration, refusal, amendment
//! or cancellation of a pledge. [`sign`] turns it into a [`SignedNotice`]: the document, the
//! issuing office's Ed25519 public key and a signature over [`canonical_bytes`]. The signed
//! notice travels as JSON ([`SignedNotice::to_json`]) and inside the PDF made by [`render_pdf`]
//! (as an attached file), so anyone holding either file can check it with
//! [`extract_signed_notice`] and [`SignedNotice::verify`], offline.
//!
//! The crate does no IO beyond the bytes handed to it and never reads the clock: dates and the
//! issue instant come in the document. Text is set in a bundled subset of Noto Sans CJK SC
//! (`fonts/`, SIL Open Font License 1.1), embedded per PDF with only the glyphs it uses.

mod document;
mod error;
mod extract;
mod font;
mod layout;
mod pdf;
mod qr;
mod render;
mod signing;

pub use document::{
    NoticeDocument, NoticeGround, NoticeKind, NoticeRight, canonical_bytes, format_date_zh,
    format_yuan, right_kind_label,
};
pub use error::NoticeError;
pub use extract::extract_signed_notice;
pub use qr::qr_svg;
pub use render::render_pdf;
pub use signing::{NoticePublicKey, NoticeSigningKey, SignedNotice, sign};
