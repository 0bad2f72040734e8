//! QR codes for the verification address: a module matrix for the PDF and an SVG for pages.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode, Version};

use crate::error::NoticeError;

/// Light modules around the code, as the QR standard asks.
pub(crate) const QUIET_ZONE: usize = 4;

/// A QR code as a square of modules, row by row, `true` for dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrMatrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Error correction level M (about 15 % of the code can be damaged), the smallest version
    /// that holds the text. Fails only for text longer than a QR code holds (about 2,300 bytes).
    pub fn encode(text: &str) -> Result<Self, NoticeError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| NoticeError::Qr(e.to_string()))?;
        let width = code.width();
        if let Version::Normal(v) = code.version() {
            debug_assert_eq!(width, 17 + 4 * usize::try_from(v).unwrap_or_default());
        }
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Self { width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// Horizontal runs of dark modules: (row, first column, length).
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

/// The QR code of `text` as a standalone SVG: black modules on a white square with the
/// standard four-module quiet zone, one user unit per module (`viewBox="0 0 N N"` with
/// N = modules + 8), no fixed size, so CSS decides how large it shows. The same text always
/// gives the same SVG.
pub fn qr_svg(text: &str) -> Result<String, NoticeError> {
    let matrix = QrMatrix::encode(text)?;
    let size = matrix.width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (y, x, len) in matrix.runs() {
        let _ = write!(
            path,
            "M{},{}h{len}v1h-{len}z",
            x + QUIET_ZONE,
            y + QUIET_ZONE
        );
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}
