//! Ed25519 keys, signing and verification of notices.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::document::{NoticeDocument, canonical_bytes};
use crate::error::NoticeError;

const SIGNING_KEY_PREFIX: &str = "ipyun-notice-key-v1:";
const PUBLIC_KEY_PREFIX: &str = "ipyun-notice-pub-v1:";

/// The issuing office's Ed25519 signing key. Its text form is secret; `Debug` shows only the
/// public key's fingerprint.
#[derive(Clone)]
pub struct NoticeSigningKey(SigningKey);

/// An Ed25519 public key that verifies notices.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct NoticePublicKey(VerifyingKey);

/// A notice with the key that signed it and the signature over [`canonical_bytes`] of its
/// document. `public_key` is [`NoticePublicKey::to_text`], `signature` the 64-byte Ed25519
/// signature in standard base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedNotice {
    /// What was signed.
    pub document: NoticeDocument,
    /// The signer's public key in text form.
    pub public_key: String,
    /// The signature, standard base64.
    pub signature: String,
}

impl NoticeSigningKey {
    /// A new random key from the operating system's generator.
    ///
    /// # Panics
    /// If the operating system has no random number generator (see [`Self::try_generate`]).
    pub fn generate() -> Self {
        match Self::try_generate() {
            Ok(key) => key,
            Err(e) => panic!("{e}"),
        }
    }

    /// A new random key, or an error when the operating system's generator fails.
    pub fn try_generate() -> Result<Self, NoticeError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| NoticeError::Random(e.to_string()))?;
        Ok(Self(SigningKey::from_bytes(&seed)))
    }

    /// Reads the form written by [`Self::to_text`] (surrounding whitespace is ignored).
    pub fn from_text(text: &str) -> Result<Self, NoticeError> {
        let seed = decode_prefixed(text, SIGNING_KEY_PREFIX, "signing key")?;
        Ok(Self(SigningKey::from_bytes(&seed)))
    }

    /// One line: `ipyun-notice-key-v1:` and the 32-byte seed in standard base64. Secret.
    pub fn to_text(&self) -> String {
        format!("{SIGNING_KEY_PREFIX}{}", B64.encode(self.0.to_bytes()))
    }

    /// The matching public key.
    pub fn public_key(&self) -> NoticePublicKey {
        NoticePublicKey(self.0.verifying_key())
    }
}

impl std::fmt::Debug for NoticeSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NoticeSigningKey(public {})",
            self.public_key().fingerprint()
        )
    }
}

impl NoticePublicKey {
    /// Reads the form written by [`Self::to_text`]; rejects bytes that are no curve point.
    pub fn from_text(text: &str) -> Result<Self, NoticeError> {
        let bytes = decode_prefixed(text, PUBLIC_KEY_PREFIX, "public key")?;
        VerifyingKey::from_bytes(&bytes).map(Self).map_err(|_| {
            NoticeError::InvalidKey("the public key is not a valid Ed25519 point".into())
        })
    }

    /// One line: `ipyun-notice-pub-v1:` and the 32-byte key in standard base64.
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_KEY_PREFIX}{}", B64.encode(self.0.as_bytes()))
    }

    /// The first 8 bytes of the SHA-256 of the raw 32-byte key, as 16 lowercase hex digits.
    pub fn fingerprint(&self) -> String {
        Sha256::digest(self.0.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl std::fmt::Debug for NoticePublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoticePublicKey({})", self.fingerprint())
    }
}

impl std::fmt::Display for NoticePublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

fn decode_prefixed(text: &str, prefix: &str, what: &str) -> Result<[u8; 32], NoticeError> {
    let body = text
        .trim()
        .strip_prefix(prefix)
        .ok_or_else(|| NoticeError::InvalidKey(format!("a {what} starts with {prefix}")))?;
    let bytes = B64
        .decode(body)
        .map_err(|_| NoticeError::InvalidKey(format!("the {what} is not valid base64")))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| NoticeError::InvalidKey(format!("a {what} is 32 bytes, not {}", bytes.len())))
}

/// Signs the document's [`canonical_bytes`] with the key.
pub fn sign(key: &NoticeSigningKey, doc: NoticeDocument) -> SignedNotice {
    let signature = key.0.sign(&canonical_bytes(&doc));
    SignedNotice {
        document: doc,
        public_key: key.public_key().to_text(),
        signature: B64.encode(signature.to_bytes()),
    }
}

impl SignedNotice {
    /// The notice as pretty-printed JSON (UTF-8, fields in declared order). This is the file
    /// offered for download and the attachment inside the PDF.
    pub fn to_json(&self) -> String {
        // Plain structs of strings, numbers and dates always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads [`Self::to_json`]'s output (any valid JSON of that shape; unknown fields are
    /// rejected). Does not verify: call [`Self::verify`].
    pub fn from_json(text: &str) -> Result<Self, NoticeError> {
        serde_json::from_str(text)
            .map_err(|e| NoticeError::Malformed(format!("not a signed notice: {e}")))
    }

    /// The signer's public key.
    pub fn signer(&self) -> Result<NoticePublicKey, NoticeError> {
        NoticePublicKey::from_text(&self.public_key)
            .map_err(|e| NoticeError::Malformed(format!("public_key: {e}")))
    }

    /// Checks the notice. With `expected`, the notice must also be signed by that key (the
    /// office's published key); without, any key named in the file is accepted, which proves
    /// only that the document is intact.
    ///
    /// Errors: [`NoticeError::Malformed`] when the key or signature field does not decode,
    /// [`NoticeError::KeyMismatch`] when signed by another key than `expected`,
    /// [`NoticeError::BadSignature`] when the document was altered.
    pub fn verify(&self, expected: Option<&NoticePublicKey>) -> Result<(), NoticeError> {
        let signer = self.signer()?;
        if let Some(expected) = expected
            && *expected != signer
        {
            return Err(NoticeError::KeyMismatch {
                expected: expected.fingerprint(),
                found: signer.fingerprint(),
            });
        }
        let bytes = B64
            .decode(self.signature.trim())
            .map_err(|_| NoticeError::Malformed("signature: not valid base64".into()))?;
        let bytes = <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| {
            NoticeError::Malformed(format!("signature: 64 bytes expected, not {}", bytes.len()))
        })?;
        signer
            .0
            .verify_strict(
                &canonical_bytes(&self.document),
                &Signature::from_bytes(&bytes),
            )
            .map_err(|_| NoticeError::BadSignature)
    }
}
