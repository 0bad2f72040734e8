//! Serializes laid-out pages into a PDF with the font subset and the attached signed notice.

use chrono::{Datelike, NaiveDate};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Date, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::error::NoticeError;
use crate::font::{Font, FontRefs, GlyphSet, write_font};
use crate::layout::{Op, PAGE_H, PAGE_W};

/// The attachment's name inside the PDF.
pub(crate) const ATTACHMENT_NAME: &str = "notice.json";

/// Document-level facts for the PDF.
pub(crate) struct PdfMeta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub date: NaiveDate,
    /// The signed notice JSON, attached byte for byte (uncompressed).
    pub attachment: &'a [u8],
}

pub(crate) fn write_pdf(
    pages: &[Vec<Op>],
    font: &Font,
    meta: &PdfMeta,
) -> Result<Vec<u8>, NoticeError> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let file = next.bump();
    let file_spec = next.bump();
    let font_refs = FontRefs {
        type0: next.bump(),
        cid_font: next.bump(),
        descriptor: next.bump(),
        font_file: next.bump(),
        to_unicode: next.bump(),
    };
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut glyphs = GlyphSet::new();

    for (ops, &(page_ref, content_ref)) in pages.iter().zip(&page_refs) {
        let content = draw(ops, font, &mut glyphs);
        pdf.stream(content_ref, &content);
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content_ref);
        page.resources().fonts().pair(Name(b"F1"), font_refs.type0);
        page.finish();
    }
    let count =
        i32::try_from(page_refs.len()).map_err(|_| NoticeError::Render("too many pages".into()))?;
    pdf.pages(tree)
        .kids(page_refs.iter().map(|&(page, _)| page))
        .count(count);

    write_font(&mut pdf, &font_refs, font, &glyphs)?;

    let size = i32::try_from(meta.attachment.len())
        .map_err(|_| NoticeError::Render("the signed notice is too large to attach".into()))?;
    let date = pdf_date(meta.date);
    let mut embedded = pdf.embedded_file(file, meta.attachment);
    embedded.subtype(Name(b"application/json"));
    embedded.params().size(size).modification_date(date);
    embedded.finish();
    pdf.file_spec(file_spec)
        .path(Str(ATTACHMENT_NAME.as_bytes()))
        .unic_file(TextStr(ATTACHMENT_NAME))
        .description(TextStr(
            "签名的通知书数据 / Signed notice data (ipyun-notice)",
        ))
        .embedded_file_with_unicode(file);

    let mut cat = pdf.catalog(catalog);
    cat.pages(tree);
    cat.names()
        .embedded_files()
        .names()
        .insert(Str(ATTACHMENT_NAME.as_bytes()), file_spec);
    cat.finish();

    pdf.document_info(info)
        .title(TextStr(meta.title))
        .author(TextStr(meta.author))
        .subject(TextStr(meta.subject))
        .creator(TextStr("ipyun"))
        .producer(TextStr("ipyun-notice"))
        .creation_date(date);

    Ok(pdf.finish())
}

fn pdf_date(date: NaiveDate) -> Date {
    let year = u16::try_from(date.year()).unwrap_or(0);
    // Month and day are 1..=12 and 1..=31, so the conversions cannot fail.
    let month = u8::try_from(date.month()).unwrap_or(1);
    let day = u8::try_from(date.day()).unwrap_or(1);
    Date::new(year).month(month).day(day)
}

/// One page's content stream.
fn draw(ops: &[Op], font: &Font, glyphs: &mut GlyphSet) -> Vec<u8> {
    let mut c = Content::new();
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                text,
                style,
            } => {
                let encoded = glyphs.encode(font, text);
                c.save_state();
                c.set_fill_gray(style.gray);
                c.begin_text();
                c.set_font(Name(b"F1"), *size);
                if style.bold {
                    c.set_stroke_gray(style.gray);
                    c.set_line_width(size * 0.045);
                    c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                }
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                c.show(Str(&encoded));
                c.end_text();
                c.restore_state();
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                gray,
            } => {
                c.save_state();
                c.set_stroke_gray(*gray);
                c.set_line_width(*width);
                c.move_to(*x1, *y1);
                c.line_to(*x2, *y2);
                c.stroke();
                c.restore_state();
            }
            Op::Qr {
                x,
                top,
                module,
                matrix,
            } => {
                c.save_state();
                c.set_fill_gray(0.0);
                for (row, col, len) in matrix.runs() {
                    let (row, col, len) = (row as f32, col as f32, len as f32);
                    c.rect(
                        x + col * module,
                        top - (row + 1.0) * module,
                        len * module,
                        *module,
                    );
                }
                c.fill_nonzero();
                c.restore_state();
            }
        }
    }
    c.finish().into_vec()
}
