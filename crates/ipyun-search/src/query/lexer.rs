//! Splits a query into tokens, each with its character position.

use super::QueryError;
use super::values::{FieldName, field_name};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` glued to the next operand.
    Minus,
    Star,
    Word(String),
    Quoted(String),
    Field {
        name: FieldName,
        value: String,
        /// Character position of the value.
        value_position: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spanned {
    pub tok: Tok,
    pub position: usize,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Ends a bare word or value.
fn ends_word(c: char) -> bool {
    is_space(c) || c == '(' || c == ')' || is_quote(c)
}

/// Reads a quoted string opening at `start`; returns its text and the index after the closing quote.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let close = chars[start + 1..]
        .iter()
        .position(|c| is_quote(*c))
        .map(|offset| start + 1 + offset)
        .ok_or_else(|| {
            QueryError::new(
                start,
                "unbalanced_quote",
                "this quote is never closed: add the closing quote",
            )
        })?;
    Ok((chars[start + 1..close].iter().collect(), close + 1))
}

pub(super) fn lex(text: &str) -> Result<Vec<Spanned>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        let position = index;
        if is_space(c) {
            index += 1;
            continue;
        }
        let tok = match c {
            '(' => {
                index += 1;
                Tok::LParen
            }
            ')' => {
                index += 1;
                Tok::RParen
            }
            _ if is_quote(c) => {
                let (phrase, next) = quoted(&chars, index)?;
                index = next;
                Tok::Quoted(phrase)
            }
            '-' if chars
                .get(index + 1)
                .is_some_and(|next| !is_space(*next) && *next != ')') =>
            {
                index += 1;
                Tok::Minus
            }
            _ => {
                let end = chars[index..]
                    .iter()
                    .position(|c| ends_word(*c))
                    .map_or(chars.len(), |offset| index + offset);
                let word: String = chars[index..end].iter().collect();
                index = end;
                match word.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    "*" => Tok::Star,
                    "-" => {
                        return Err(QueryError::new(
                            position,
                            "dangling_operator",
                            "a minus sign must stand right before what it excludes, as in -电池",
                        ));
                    }
                    _ => field_or_word(&chars, position, word, &mut index)?,
                }
            }
        };
        tokens.push(Spanned { tok, position });
    }
    Ok(tokens)
}

/// A word is a field filter when it has a colon after a field name; an unknown name made of ASCII
/// letters is an error, anything else before a colon is just text.
fn field_or_word(
    chars: &[char],
    position: usize,
    word: String,
    index: &mut usize,
) -> Result<Tok, QueryError> {
    let Some((colon, _)) = word.char_indices().find(|(_, c)| matches!(c, ':' | '：')) else {
        return Ok(Tok::Word(word));
    };
    let name = &word[..colon];
    let field = match field_name(name) {
        Some(field) => field,
        None if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') => {
            return Err(QueryError::new(
                position,
                "unknown_field",
                format!(
                    "unknown field {name:?}: use applicant, inventor, ipc, region, kind, status, filed, published, granted or no"
                ),
            ));
        }
        None => return Ok(Tok::Word(word)),
    };
    let colon_chars = word[..colon].chars().count();
    let value_position = position + colon_chars + 1;
    let rest: String = word[colon..].chars().skip(1).collect();
    if !rest.is_empty() {
        return Ok(Tok::Field {
            name: field,
            value: rest,
            value_position,
        });
    }
    // `applicant:"华为 技术"`: the value is the quoted string right after the colon.
    if chars.get(*index).is_some_and(|c| is_quote(*c)) {
        let (value, next) = quoted(chars, *index)?;
        *index = next;
        return Ok(Tok::Field {
            name: field,
            value,
            value_position: value_position + 1,
        });
    }
    Err(QueryError::new(
        value_position,
        "empty_value",
        format!("the field {name:?} needs a value right after its colon"),
    ))
}
