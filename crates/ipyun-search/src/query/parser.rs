//! Recursive descent over the tokens: OR below AND below NOT.

use super::lexer::{Spanned, Tok};
use super::values::parse_filter;
use super::{MAX_QUERY_DEPTH, MAX_QUERY_TERMS, Node, QueryError};
use crate::text::normalize;
use crate::tokenizer::word_terms;

struct Parser<'a> {
    tokens: &'a [Spanned],
    index: usize,
    leaves: usize,
    depth: usize,
}

/// Parses the tokens; `None` when nothing searchable is left (only punctuation, or nothing).
pub(super) fn parse(tokens: &[Spanned]) -> Result<Option<Node>, QueryError> {
    let mut parser = Parser {
        tokens,
        index: 0,
        leaves: 0,
        depth: 0,
    };
    if tokens.is_empty() {
        return Ok(None);
    }
    let node = parser.or()?;
    if let Some(token) = parser.peek() {
        // Only a stray closing parenthesis can stop `or` before the end.
        return Err(QueryError::new(
            token.position,
            "unbalanced_paren",
            "this closing parenthesis has no opening one",
        ));
    }
    Ok(node)
}

fn dangling(position: usize, what: &str) -> QueryError {
    QueryError::new(
        position,
        "dangling_operator",
        format!("{what} needs something to act on on each side"),
    )
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Spanned> {
        self.tokens.get(self.index)
    }

    /// Whether the next token can start an operand.
    fn starts_operand(&self) -> bool {
        self.peek()
            .is_some_and(|token| !matches!(token.tok, Tok::And | Tok::Or | Tok::RParen))
    }

    fn or(&mut self) -> Result<Option<Node>, QueryError> {
        let mut children = Vec::new();
        children.extend(self.and()?);
        while let Some(token) = self.peek() {
            if token.tok != Tok::Or {
                break;
            }
            let position = token.position;
            self.index += 1;
            if !self.starts_operand() {
                return Err(dangling(position, "OR"));
            }
            children.extend(self.and()?);
        }
        Ok(simplify(children, Node::Or))
    }

    fn and(&mut self) -> Result<Option<Node>, QueryError> {
        if let Some(token) = self.peek()
            && matches!(token.tok, Tok::And | Tok::Or)
        {
            return Err(dangling(token.position, "an operator"));
        }
        let mut children = Vec::new();
        loop {
            match self.peek().map(|token| (&token.tok, token.position)) {
                None | Some((Tok::Or | Tok::RParen, _)) => break,
                Some((Tok::And, position)) => {
                    self.index += 1;
                    if !self.starts_operand() {
                        return Err(dangling(position, "AND"));
                    }
                }
                Some(_) => children.extend(self.unary()?),
            }
        }
        Ok(simplify(children, Node::And))
    }

    fn unary(&mut self) -> Result<Option<Node>, QueryError> {
        let Some(token) = self.peek() else {
            return Ok(None);
        };
        let position = token.position;
        match token.tok {
            Tok::Not | Tok::Minus => {
                self.index += 1;
                if !self.starts_operand() {
                    return Err(dangling(position, "NOT"));
                }
                self.enter(position)?;
                let operand = self.unary()?;
                self.depth -= 1;
                Ok(operand.map(|node| Node::Not(Box::new(node))))
            }
            _ => self.primary(),
        }
    }

    fn enter(&mut self, position: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_QUERY_DEPTH {
            return Err(QueryError::new(
                position,
                "too_deep",
                format!("a query may nest parentheses and NOTs {MAX_QUERY_DEPTH} deep at most"),
            ));
        }
        Ok(())
    }

    fn leaf(&mut self, position: usize, node: Node) -> Result<Option<Node>, QueryError> {
        self.leaves += 1;
        if self.leaves > MAX_QUERY_TERMS {
            return Err(QueryError::new(
                position,
                "too_many_terms",
                format!(
                    "a query may have {MAX_QUERY_TERMS} words, quoted strings and filters at most"
                ),
            ));
        }
        Ok(Some(node))
    }

    fn primary(&mut self) -> Result<Option<Node>, QueryError> {
        let Some(token) = self.peek() else {
            return Ok(None);
        };
        let position = token.position;
        self.index += 1;
        match &token.tok {
            Tok::LParen => {
                if self.peek().is_some_and(|next| next.tok == Tok::RParen) {
                    return Err(QueryError::new(
                        position,
                        "empty_group",
                        "these parentheses hold nothing",
                    ));
                }
                self.enter(position)?;
                let inner = self.or()?;
                self.depth -= 1;
                match self.peek() {
                    Some(next) if next.tok == Tok::RParen => {
                        self.index += 1;
                        Ok(inner)
                    }
                    _ => Err(QueryError::new(
                        position,
                        "unbalanced_paren",
                        "this opening parenthesis is never closed",
                    )),
                }
            }
            Tok::RParen => Err(QueryError::new(
                position,
                "unbalanced_paren",
                "this closing parenthesis has no opening one",
            )),
            Tok::And | Tok::Or | Tok::Not | Tok::Minus => Err(dangling(position, "an operator")),
            Tok::Star => self.leaf(position, Node::All),
            Tok::Word(word) => {
                let terms = word_terms(word);
                if terms.is_empty() {
                    // Punctuation only: nothing to look for.
                    return Ok(None);
                }
                self.leaf(
                    position,
                    Node::Word {
                        text: word.clone(),
                        terms,
                    },
                )
            }
            Tok::Quoted(phrase) => {
                if phrase.is_empty() {
                    return Err(QueryError::new(
                        position,
                        "empty_phrase",
                        "the quotes hold nothing",
                    ));
                }
                self.leaf(position, Node::Phrase(normalize(phrase)))
            }
            Tok::Field {
                name,
                value,
                value_position,
            } => {
                let filter = parse_filter(*name, value, *value_position)?;
                self.leaf(position, Node::Filter(filter))
            }
        }
    }
}

/// One child stands for itself; none for nothing.
fn simplify(mut children: Vec<Node>, combine: fn(Vec<Node>) -> Node) -> Option<Node> {
    match children.len() {
        0 => None,
        1 => children.pop(),
        _ => Some(combine(children)),
    }
}
