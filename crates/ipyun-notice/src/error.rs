/// Everything that can go wrong with a notice. Bad input (a truncated, random or tampered file,
/// a mistyped key) always ends here, never in a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// The file is not a signed notice this crate can read: not JSON of the right shape, a PDF
    /// without the attached notice, a signature or key field that does not decode.
    #[error("malformed notice file: {0}")]
    Malformed(String),
    /// The signature does not match the document: the notice was altered after signing (or the
    /// signature belongs to another document).
    #[error("the signature does not match the document: the notice was altered or is not genuine")]
    BadSignature,
    /// The notice is correctly signed, but by another key than the one the verifier trusts.
    #[error("the notice was signed by key {found}, not by the expected key {expected}")]
    KeyMismatch {
        /// Fingerprint of the trusted key.
        expected: String,
        /// Fingerprint of the key named in the notice.
        found: String,
    },
    /// A signing or public key in text form could not be read.
    #[error("invalid notice key: {0}")]
    InvalidKey(String),
    /// The operating system's random number generator failed.
    #[error("no randomness available for a new key: {0}")]
    Random(String),
    /// The text could not be encoded as a QR code (for example, far too long).
    #[error("cannot encode the QR code: {0}")]
    Qr(String),
    /// The PDF could not be produced.
    #[error("cannot render the notice PDF: {0}")]
    Render(String),
}
