//! The bundled CJK font: glyph lookup and measuring, and its per-document subset in the PDF.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Finish as _, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest as _, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId, Tag};

use crate::error::NoticeError;

/// Noto Sans CJK SC Regular, subset to GB 2312 and Latin by `fonts/make-font.sh` (OFL 1.1).
static FONT_DATA: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular-GB2312.otf");

/// Shown for characters the font lacks.
const REPLACEMENT: char = '□';

const SYSTEM_INFO: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The bundled font, parsed.
pub(crate) struct Font {
    face: Face<'static>,
    /// Font units to thousandths of the text size.
    scale: f32,
}

/// The glyph drawn for a character, and the character it really shows (the replacement mark
/// for characters the font lacks).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub id: u16,
    pub shows: char,
}

impl Font {
    pub fn bundled() -> Result<Self, NoticeError> {
        let face = Face::parse(FONT_DATA, 0)
            .map_err(|e| NoticeError::Render(format!("the bundled font does not parse: {e}")))?;
        let scale = 1000.0 / f32::from(face.units_per_em().max(1));
        Ok(Self { face, scale })
    }

    pub fn glyph(&self, c: char) -> Glyph {
        let c = if c.is_control() { ' ' } else { c };
        match self.face.glyph_index(c) {
            Some(id) => Glyph { id: id.0, shows: c },
            None => match self.face.glyph_index(REPLACEMENT) {
                Some(id) => Glyph {
                    id: id.0,
                    shows: REPLACEMENT,
                },
                None => Glyph {
                    id: 0,
                    shows: REPLACEMENT,
                },
            },
        }
    }

    /// Advance of a glyph in thousandths of the text size.
    pub fn advance(&self, id: u16) -> f32 {
        self.face
            .glyph_hor_advance(GlyphId(id))
            .map_or(1000.0, |a| f32::from(a) * self.scale)
    }

    /// Width of a character at a text size, in points.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.advance(self.glyph(c).id) * size / 1000.0
    }

    /// Width of a text at a text size, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    fn metric(&self, v: i16) -> f32 {
        f32::from(v) * self.scale
    }
}

/// The glyphs a document uses, numbered as in its font subset.
pub(crate) struct GlyphSet {
    remapper: GlyphRemapper,
    shows: BTreeMap<u16, char>,
}

impl GlyphSet {
    pub fn new() -> Self {
        Self {
            remapper: GlyphRemapper::new(),
            shows: BTreeMap::new(),
        }
    }

    /// The text as two-byte CIDs of the subset (for the `Identity-H` encoding).
    pub fn encode(&mut self, font: &Font, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = font.glyph(c);
            let cid = self.remapper.remap(glyph.id);
            self.shows.entry(cid).or_insert(glyph.shows);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }
}

/// Object numbers of the font's five objects.
pub(crate) struct FontRefs {
    pub type0: Ref,
    pub cid_font: Ref,
    pub descriptor: Ref,
    pub font_file: Ref,
    pub to_unicode: Ref,
}

/// Writes the Type 0 font with the subset of the glyphs used (CFF outlines as
/// `CIDFontType0C`), its widths and its ToUnicode map.
pub(crate) fn write_font(
    pdf: &mut Pdf,
    refs: &FontRefs,
    font: &Font,
    glyphs: &GlyphSet,
) -> Result<(), NoticeError> {
    let subset = subsetter::subset(FONT_DATA, 0, &glyphs.remapper)
        .map_err(|e| NoticeError::Render(format!("cannot subset the font: {e}")))?;
    let cff = ttf_parser::RawFace::parse(&subset, 0)
        .ok()
        .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")))
        .ok_or_else(|| NoticeError::Render("the font subset has no CFF table".into()))?;

    // A subset is named with a tag derived from its glyphs (PDF 32000-1, 9.6.4).
    let old_ids: Vec<u16> = glyphs.remapper.remapped_gids().collect();
    let digest = Sha256::digest(
        old_ids
            .iter()
            .flat_map(|g| g.to_be_bytes())
            .collect::<Vec<_>>(),
    );
    let tag: String = digest[..6]
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let base_font = format!("{tag}+NotoSansCJKsc-Regular");
    let base_font = Name(base_font.as_bytes());

    pdf.type0_font(refs.type0)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid_font)
        .to_unicode(refs.to_unicode);

    let mut cid_font = pdf.cid_font(refs.cid_font);
    cid_font
        .subtype(CidFontType::Type0)
        .base_font(base_font)
        .system_info(SYSTEM_INFO)
        .font_descriptor(refs.descriptor)
        .default_width(1000.0);
    cid_font
        .widths()
        .consecutive(0, old_ids.iter().map(|&id| font.advance(id)));
    cid_font.finish();

    let face = &font.face;
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(refs.descriptor)
        .name(base_font)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            font.metric(bbox.x_min),
            font.metric(bbox.y_min),
            font.metric(bbox.x_max),
            font.metric(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(font.metric(face.ascender()))
        .descent(font.metric(face.descender()))
        .cap_height(font.metric(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(95.0)
        .font_file3(refs.font_file);

    pdf.stream(refs.font_file, cff)
        .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));

    let mut cmap = UnicodeCmap::new(Name(b"Ipyun-Notice-UTF16"), SYSTEM_INFO);
    for (&cid, &c) in &glyphs.shows {
        cmap.pair(cid, c);
    }
    let cmap = cmap.finish();
    pdf.stream(refs.to_unicode, cmap.as_slice());
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_covers_chinese_and_latin() {
        let font = Font::bundled().unwrap();
        for c in "专利权质押登记通知书 Notice №１２３，。（）".chars() {
            let glyph = font.glyph(c);
            assert_ne!(glyph.id, 0, "{c:?} is missing");
            assert_eq!(glyph.shows, c);
        }
        assert!((font.char_width('专', 10.0) - 10.0).abs() < 0.01);
    }

    #[test]
    fn missing_characters_become_a_replacement_mark() {
        let font = Font::bundled().unwrap();
        // An emoji and a CJK Extension B character are outside the subset.
        for c in ['😀', '𠀀'] {
            let glyph = font.glyph(c);
            assert_eq!(glyph.shows, REPLACEMENT);
            assert_ne!(glyph.id, 0);
        }
        assert_eq!(font.glyph('\t').shows, ' ');
    }
}
