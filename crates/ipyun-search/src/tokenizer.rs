//! The two analyzers of the index.
//!
//! - `ipyun_jieba` (title, abstract, claims): jieba-rs in search mode (each word plus the dictionary
//!   words inside it), ASCII lower-cased, punctuation and spaces dropped. Ranked words use it.
//! - `ipyun_bigram` (the exact-substring fields): one token per character position, the character
//!   and the next one (`锂电池` → `锂电` `电池` `池`); the last character before a separator or the
//!   end is a one-character token. Control characters (the separator between title, abstract and
//!   each claim, or between applicants) emit nothing but take a position, so no phrase of
//!   bigrams can match across them. See [`phrase_cover`] for how a quoted string becomes a query.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::is_separator;

pub(crate) const JIEBA_TOKENIZER: &str = "ipyun_jieba";
pub(crate) const BIGRAM_TOKENIZER: &str = "ipyun_bigram";

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// The process's one jieba instance (loading its dictionary costs 0.15 s in release, 0.5 s in debug).
pub(crate) fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(Jieba::new)
}

/// Whether jieba's token is worth indexing: it has a letter, digit or ideograph.
fn is_word(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// jieba search-mode tokenizer for the ranked text fields.
#[derive(Clone, Default)]
pub(crate) struct JiebaTokenizer;

/// Streams jieba's words, reusing one token.
pub(crate) struct JiebaTokenStream<'a> {
    words: std::vec::IntoIter<jieba_rs::Token<'a>>,
    token: Token,
}

impl TokenStream for JiebaTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for word in self.words.by_ref() {
            if !is_word(word.word) {
                continue;
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = word.byte_start;
            self.token.offset_to = word.byte_end;
            self.token.text.clear();
            self.token
                .text
                .extend(word.word.chars().map(|c| c.to_ascii_lowercase()));
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream<'a> {
        JiebaTokenStream {
            words: jieba().cut_for_search(text, true).into_iter(),
            token: Token::default(),
        }
    }
}

/// The terms a ranked word of a query stands for: jieba's default-mode words, normalised as indexed.
pub(crate) fn word_terms(word: &str) -> Vec<String> {
    let mut terms: Vec<String> = jieba()
        .cut(word, true)
        .into_iter()
        .filter(|token| is_word(token.word))
        .map(|token| token.word.to_ascii_lowercase())
        .collect();
    let mut seen = std::collections::HashSet::new();
    terms.retain(|term| seen.insert(term.clone()));
    terms
}

/// Character-bigram tokenizer for the exact-substring fields.
#[derive(Clone, Default)]
pub(crate) struct BigramTokenizer;

/// Streams the bigrams of a text, reusing one token.
pub(crate) struct BigramTokenStream<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// Position of the next character.
    next_position: usize,
    token: Token,
}

impl TokenStream for BigramTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((offset, c)) = self.chars.next() {
            let position = self.next_position;
            self.next_position += 1;
            if is_separator(c) {
                continue;
            }
            self.token.text.clear();
            self.token.text.push(c.to_ascii_lowercase());
            self.token.offset_from = offset;
            self.token.offset_to = offset + c.len_utf8();
            self.token.position = position;
            if let Some(&(next_offset, next)) = self.chars.peek()
                && !is_separator(next)
            {
                self.token.text.push(next.to_ascii_lowercase());
                self.token.offset_to = next_offset + next.len_utf8();
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramTokenStream<'a> {
        BigramTokenStream {
            chars: text.char_indices().peekable(),
            next_position: 0,
            token: Token::default(),
        }
    }
}

/// How a quoted string (already normalised, non-empty, without separators) is looked up in a
/// bigram field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhraseCover {
    /// One character: any term that starts with it (the bigrams `c?` and the final `c`).
    Char(char),
    /// Two characters: the one bigram.
    Bigram(String),
    /// Three or more: bigrams at offsets 0, 2, 4, … and `len - 2`, which together cover every
    /// character; a phrase query over them with these offsets matches exactly the occurrences.
    Phrase(Vec<(usize, String)>),
}

pub(crate) fn phrase_cover(phrase: &str) -> Option<PhraseCover> {
    let chars: Vec<char> = phrase.chars().map(|c| c.to_ascii_lowercase()).collect();
    match chars.as_slice() {
        [] => None,
        [c] => Some(PhraseCover::Char(*c)),
        [a, b] => Some(PhraseCover::Bigram([*a, *b].iter().collect())),
        _ => {
            let last = chars.len() - 2;
            let mut offsets: Vec<usize> = (0..=last).step_by(2).collect();
            if offsets.last() != Some(&last) {
                offsets.push(last);
            }
            Some(PhraseCover::Phrase(
                offsets
                    .into_iter()
                    .map(|offset| (offset, chars[offset..offset + 2].iter().collect()))
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        let mut tokenizer = BigramTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    #[test]
    fn bigrams_stop_at_separators_and_leave_a_gap() {
        let text = "锂电池\u{1f}AB";
        let found_tokens = tokens(text);
        let found: Vec<(usize, &str)> = found_tokens
            .iter()
            .map(|token| (token.position, token.text.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![(0, "锂电"), (1, "电池"), (2, "池"), (4, "ab"), (5, "b")]
        );
        assert_eq!(
            &text[found_tokens[1].offset_from..found_tokens[1].offset_to],
            "电池"
        );
        assert_eq!(
            &text[found_tokens[2].offset_from..found_tokens[2].offset_to],
            "池"
        );
        assert!(tokens("").is_empty());
    }

    #[test]
    fn cover_spans_every_character() {
        assert_eq!(phrase_cover(""), None);
        assert_eq!(phrase_cover("锂"), Some(PhraseCover::Char('锂')));
        assert_eq!(
            phrase_cover("Li"),
            Some(PhraseCover::Bigram("li".to_owned()))
        );
        assert_eq!(
            phrase_cover("锂电池隔膜"),
            Some(PhraseCover::Phrase(vec![
                (0, "锂电".to_owned()),
                (2, "池隔".to_owned()),
                (3, "隔膜".to_owned())
            ]))
        );
        assert_eq!(
            phrase_cover("一二三四"),
            Some(PhraseCover::Phrase(vec![
                (0, "一二".to_owned()),
                (2, "三四".to_owned())
            ]))
        );
    }

    #[test]
    fn jieba_drops_punctuation_and_lowercases() {
        let mut tokenizer = JiebaTokenizer;
        let mut stream = tokenizer.token_stream("锂离子电池，CPU。");
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        assert!(words.contains(&"电池".to_owned()), "{words:?}");
        assert!(words.contains(&"cpu".to_owned()), "{words:?}");
        assert!(!words.iter().any(|word| word == "，"), "{words:?}");
    }
}
