//! A small page model: drawing operations on A4 pages, line breaking and page flow.

use crate::font::Font;
use crate::qr::QrMatrix;

pub(crate) const PAGE_W: f32 = 595.276;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const LEFT: f32 = 56.0;
pub(crate) const RIGHT: f32 = PAGE_W - 56.0;
pub(crate) const TOP: f32 = PAGE_H - 50.0;
/// Content stops here; the footer lives below.
pub(crate) const BOTTOM: f32 = 62.0;

/// How text is drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// 0 black … 1 white.
    pub gray: f32,
    /// Simulated bold: the outline is stroked as well as filled.
    pub bold: bool,
}

pub(crate) const NORMAL: Style = Style {
    gray: 0.0,
    bold: false,
};
pub(crate) const BOLD: Style = Style {
    gray: 0.0,
    bold: true,
};
pub(crate) const MUTED: Style = Style {
    gray: 0.38,
    bold: false,
};

/// One drawing operation; `y` of text is its baseline.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        style: Style,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: f32,
    },
    /// A QR code whose top-left module corner is at (`x`, `top`).
    Qr {
        x: f32,
        top: f32,
        module: f32,
        matrix: QrMatrix,
    },
}

/// Line height for a text size.
pub(crate) fn leading(size: f32) -> f32 {
    size * 1.5
}

/// Baseline of a line whose box starts at `top`.
pub(crate) fn baseline(top: f32, size: f32) -> f32 {
    top - size * 1.12
}

/// Pages being filled from the top; `y` is where the next thing goes.
pub(crate) struct Layout<'f> {
    pub font: &'f Font,
    pub pages: Vec<Vec<Op>>,
    pub y: f32,
}

impl<'f> Layout<'f> {
    pub fn new(font: &'f Font) -> Self {
        Self {
            font,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits above the bottom margin (a block taller
    /// than a page is started at the top of one anyway). Returns whether it did.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
            true
        } else {
            false
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str, style: Style) {
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y,
                size,
                text: text.to_owned(),
                style,
            });
        }
    }

    /// A horizontal rule across the text width at the current position.
    pub fn rule(&mut self, width: f32, gray: f32) {
        let y = self.y;
        self.push(Op::Line {
            x1: LEFT,
            y1: y,
            x2: RIGHT,
            y2: y,
            width,
            gray,
        });
    }

    /// Wrapped text flowing down from the current position, breaking pages between lines.
    pub fn paragraph(&mut self, x: f32, width: f32, size: f32, text: &str, style: Style) {
        for line in self.wrap(text, size, width) {
            self.ensure(leading(size));
            let y = baseline(self.y, size);
            self.text(x, y, size, &line, style);
            self.y -= leading(size);
        }
    }

    /// One centred line (wrapped if wider than the text width).
    pub fn centered(&mut self, size: f32, text: &str, style: Style) {
        for line in self.wrap(text, size, RIGHT - LEFT) {
            self.ensure(leading(size));
            let w = self.font.width(&line, size);
            let y = baseline(self.y, size);
            self.text((LEFT + RIGHT - w) / 2.0, y, size, &line, style);
            self.y -= leading(size);
        }
    }

    /// Breaks text into lines no wider than `width`: between words, around CJK characters
    /// (keeping closing punctuation with what precedes it), after `/` and `-`, at `\n`, and
    /// inside a word only when the word alone is too wide.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for token in tokens(paragraph) {
                let token_w = self.font.width(&token, size);
                if line_w + token_w > width && !line.trim().is_empty() {
                    lines.push(line.trim_end().to_owned());
                    line.clear();
                    line_w = 0.0;
                }
                let token = if line.is_empty() {
                    token.trim_start()
                } else {
                    &token
                };
                if line_w + token_w > width {
                    for c in token.chars() {
                        let cw = self.font.char_width(c, size);
                        if line_w + cw > width && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            line_w = 0.0;
                        }
                        line.push(c);
                        line_w += cw;
                    }
                } else {
                    line.push_str(token);
                    line_w += self.font.width(token, size);
                }
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

fn is_wide(c: char) -> bool {
    c >= '\u{2E80}'
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』】〕〉”’…,.;:!?)]}%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【〔〈“‘([{".contains(c)
}

fn can_break(a: char, b: char) -> bool {
    !is_closing(b)
        && !is_opening(a)
        && b != ' '
        && (a == ' ' || a == '/' || a == '-' || is_wide(a) || is_wide(b))
}

/// Unbreakable pieces of a line; spaces stay at the end of the piece they follow.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev = None;
    for c in text.chars() {
        if let Some(a) = prev
            && can_break(a, c)
            && !current.is_empty()
        {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
        prev = Some(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_break_around_cjk_and_spaces() {
        assert_eq!(
            tokens("专利，权 a bc"),
            vec!["专", "利，", "权 ", "a ", "bc"]
        );
        assert_eq!(tokens("（甲）乙"), vec!["（甲）", "乙"]);
        assert_eq!(
            tokens("https://x.cn/v?a"),
            vec!["https:/", "/", "x.cn/", "v?a"]
        );
    }

    #[test]
    fn wrap_fits_the_width_and_keeps_every_character() {
        let font = Font::bundled().unwrap();
        let layout = Layout::new(&font);
        let text = "经审查，下列质押符合规定，准予登记。Upon examination, the pledge is registered. \
                    https://ipyun.example.cn/notices/verify?code=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for width in [40.0, 120.0, 300.0] {
            let lines = layout.wrap(text, 10.0, width);
            for line in &lines {
                assert!(
                    font.width(line, 10.0) <= width + 0.01,
                    "{line:?} wider than {width}"
                );
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let expected: String = text.split_whitespace().collect();
            assert_eq!(joined, expected);
        }
        assert_eq!(layout.wrap("a\nb", 10.0, 100.0), vec!["a", "b"]);
        assert_eq!(layout.wrap("", 10.0, 100.0), vec![""]);
    }
}
