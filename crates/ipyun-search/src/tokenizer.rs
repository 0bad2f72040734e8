//! The two analyzers of the index.
//!
//! - `ipyun_jieba` (title, abstract, claims): jieba-rs in search mode (each word plus the dictionary
//!   words inside it), ASCII lower-cased, punctuation and spaces dropped. Ranked words use it.
//! - `ipyun_ngram` (the exact-substring fields): at each character position the bigram (the
//!   character and the next one) and the trigram (and the one after), both at that position
//!   (`锂电池` → `锂电` `锂电池` `电池` `池`); the last character before a separator or the end is a
//!   one-character token. Control characters (the separator between title, abstract and each
//!   claim, or between applicants) emit nothing but take a position, so no phrase can match
//!   across them. See [`phrase_cover`] for how a quoted string becomes a query: a three-character
//!   string is one term (no positions read), a longer one needs a third fewer terms than with
//!   bigrams alone.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::is_separator;

pub(crate) const JIEBA_TOKENIZER: &str = "ipyun_jieba";
/// Named for what it emits: an index of the earlier bigram-only layout has another tokenizer name
/// in its schema, so it is recognised as older and rebuilt.
pub(crate) const NGRAM_TOKENIZER: &str = "ipyun_ngram";

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

/// Character bigram and trigram tokenizer for the exact-substring fields.
#[derive(Clone, Default)]
pub(crate) struct NgramTokenizer;

/// Streams the bigrams and trigrams of a text, reusing one token.
pub(crate) struct NgramTokenStream<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// Position of the next character.
    next_position: usize,
    /// The trigram at the bigram's position, emitted after it.
    pending: Option<(String, usize)>,
    token: Token,
}

impl TokenStream for NgramTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((text, offset_to)) = self.pending.take() {
            // The trigram at the position and start of the bigram just emitted.
            self.token.text = text;
            self.token.offset_to = offset_to;
            return true;
        }
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
                // The character after `next`, without consuming `next`.
                let mut ahead = self.chars.clone();
                ahead.next();
                if let Some((third_offset, third)) = ahead.next()
                    && !is_separator(third)
                {
                    let mut trigram = String::with_capacity(self.token.text.len() + 4);
                    trigram.push_str(&self.token.text);
                    trigram.push(third.to_ascii_lowercase());
                    self.pending = Some((trigram, third_offset + third.len_utf8()));
                }
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

impl Tokenizer for NgramTokenizer {
    type TokenStream<'a> = NgramTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NgramTokenStream<'a> {
        NgramTokenStream {
            chars: text.char_indices().peekable(),
            next_position: 0,
            pending: None,
            token: Token::default(),
        }
    }
}

/// How a quoted string (already normalised, non-empty, without separators) is looked up in an
/// n-gram field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhraseCover {
    /// One character: any term that starts with it (the n-grams `c…` and the final `c`).
    Char(char),
    /// Two or three characters: the one bigram or trigram, whose frequency is the string's.
    Term(String),
    /// Four or more: trigrams at offsets 0, 3, 6, … and `len - 3`, which together cover every
    /// character; a phrase query over them with these offsets matches exactly the occurrences.
    Phrase(Vec<(usize, String)>),
}

pub(crate) fn phrase_cover(phrase: &str) -> Option<PhraseCover> {
    let chars: Vec<char> = phrase.chars().map(|c| c.to_ascii_lowercase()).collect();
    match chars.as_slice() {
        [] => None,
        [c] => Some(PhraseCover::Char(*c)),
        [_, _] | [_, _, _] => Some(PhraseCover::Term(chars.iter().collect())),
        _ => {
            let last = chars.len() - 3;
            let mut offsets: Vec<usize> = (0..=last).step_by(3).collect();
            if offsets.last() != Some(&last) {
                offsets.push(last);
            }
            Some(PhraseCover::Phrase(
                offsets
                    .into_iter()
                    .map(|offset| (offset, chars[offset..offset + 3].iter().collect()))
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
        let mut tokenizer = NgramTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    #[test]
    fn ngrams_stop_at_separators_and_leave_a_gap() {
        let text = "锂电池\u{1f}ABC";
        let found_tokens = tokens(text);
        let found: Vec<(usize, &str)> = found_tokens
            .iter()
            .map(|token| (token.position, token.text.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "锂电"),
                (0, "锂电池"),
                (1, "电池"),
                (2, "池"),
                (4, "ab"),
                (4, "abc"),
                (5, "bc"),
                (6, "c")
            ]
        );
        for (token, text_of) in
            found_tokens
                .iter()
                .zip(["锂电", "锂电池", "电池", "池", "AB", "ABC", "BC", "C"])
        {
            assert_eq!(&text[token.offset_from..token.offset_to], text_of);
        }
        assert!(tokens("").is_empty());
    }

    #[test]
    fn cover_spans_every_character() {
        assert_eq!(phrase_cover(""), None);
        assert_eq!(phrase_cover("锂"), Some(PhraseCover::Char('锂')));
        assert_eq!(phrase_cover("Li"), Some(PhraseCover::Term("li".to_owned())));
        assert_eq!(
            phrase_cover("锂电池"),
            Some(PhraseCover::Term("锂电池".to_owned()))
        );
        assert_eq!(
            phrase_cover("锂电池隔膜"),
            Some(PhraseCover::Phrase(vec![
                (0, "锂电池".to_owned()),
                (2, "池隔膜".to_owned())
            ]))
        );
        assert_eq!(
            phrase_cover("一二三四"),
            Some(PhraseCover::Phrase(vec![
                (0, "一二三".to_owned()),
                (1, "二三四".to_owned())
            ]))
        );
        assert_eq!(
            phrase_cover("一二三四五六七"),
            Some(PhraseCover::Phrase(vec![
                (0, "一二三".to_owned()),
                (3, "四五六".to_owned()),
                (4, "五六七".to_owned())
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
