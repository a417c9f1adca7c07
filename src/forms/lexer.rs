//! Tokens of the `show_if` language, each with its byte offset for error positions.

use super::expr::{CmpOp, ExprError, err};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    Cmp(CmpOp),
    Plus,
    Minus,
    Star,
    Slash,
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Dot,
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "`{w}`"),
            Tok::Str(s) => write!(f, "'{s}'"),
            Tok::Num(n) => write!(f, "{n}"),
            Tok::Cmp(op) => write!(f, "`{}`", op.symbol()),
            Tok::Plus => f.write_str("`+`"),
            Tok::Minus => f.write_str("`-`"),
            Tok::Star => f.write_str("`*`"),
            Tok::Slash => f.write_str("`/`"),
            Tok::LParen => f.write_str("`(`"),
            Tok::RParen => f.write_str("`)`"),
            Tok::LBrack => f.write_str("`[`"),
            Tok::RBrack => f.write_str("`]`"),
            Tok::Comma => f.write_str("`,`"),
            Tok::Dot => f.write_str("`.`"),
        }
    }
}

pub struct Lexer {
    tokens: Vec<(usize, Tok)>,
    next: usize,
    end: usize,
}

impl Lexer {
    pub fn new(source: &str) -> Result<Lexer, ExprError> {
        Ok(Lexer { tokens: tokenize(source)?, next: 0, end: source.len() })
    }

    pub fn peek(&self) -> Option<(usize, Tok)> {
        self.tokens.get(self.next).cloned()
    }

    #[allow(clippy::should_implement_trait)] // a cursor with peek, not an iterator
    pub fn next(&mut self) -> Option<(usize, Tok)> {
        let tok = self.peek();
        self.next += usize::from(tok.is_some());
        tok
    }

    /// Where the next token starts (or the end of the source).
    pub fn offset(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |t| t.0)
    }

    pub fn peek_word(&self, word: &str) -> bool {
        self.peek_word_at(0, word)
    }

    pub fn peek_word_at(&self, ahead: usize, word: &str) -> bool {
        matches!(self.tokens.get(self.next + ahead), Some((_, Tok::Word(w))) if w == word)
    }

    pub fn eat_word(&mut self, word: &str) -> bool {
        let found = self.peek_word(word);
        self.next += usize::from(found);
        found
    }

    pub fn eat_cmp(&mut self) -> Option<CmpOp> {
        match self.peek() {
            Some((_, Tok::Cmp(op))) => {
                self.next += 1;
                Some(op)
            }
            _ => None,
        }
    }
}

fn tokenize(source: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let (tok, len) = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'\'' | b'"' => string(source, i)?,
            b'0'..=b'9' => number(source, i)?,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = source[i..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                (Tok::Word(source[i..i + len].to_string()), len)
            }
            b'=' if bytes.get(i + 1) == Some(&b'=') => (Tok::Cmp(CmpOp::Eq), 2),
            b'=' => (Tok::Cmp(CmpOp::Eq), 1),
            b'!' if bytes.get(i + 1) == Some(&b'=') => (Tok::Cmp(CmpOp::Ne), 2),
            b'<' if bytes.get(i + 1) == Some(&b'>') => (Tok::Cmp(CmpOp::Ne), 2),
            b'<' if bytes.get(i + 1) == Some(&b'=') => (Tok::Cmp(CmpOp::Le), 2),
            b'<' => (Tok::Cmp(CmpOp::Lt), 1),
            b'>' if bytes.get(i + 1) == Some(&b'=') => (Tok::Cmp(CmpOp::Ge), 2),
            b'>' => (Tok::Cmp(CmpOp::Gt), 1),
            b'+' => (Tok::Plus, 1),
            b'-' => (Tok::Minus, 1),
            b'*' => (Tok::Star, 1),
            b'/' => (Tok::Slash, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBrack, 1),
            b']' => (Tok::RBrack, 1),
            b',' => (Tok::Comma, 1),
            b'.' => (Tok::Dot, 1),
            b'&' | b'|' => return err(i, "write `and` / `or` instead of `&&` / `||`"),
            b'!' => return err(i, "write `not` instead of `!`"),
            _ => {
                let ch = source[i..].chars().next().unwrap_or('?');
                return err(i, format!("unexpected character `{ch}`"));
            }
        };
        tokens.push((start, tok));
        i += len;
    }
    Ok(tokens)
}

fn string(source: &str, start: usize) -> Result<(Tok, usize), ExprError> {
    let quote = source.as_bytes()[start] as char;
    let rest = &source[start + 1..];
    match rest.find(quote) {
        Some(end) => Ok((Tok::Str(rest[..end].to_string()), end + 2)),
        None => err(start, format!("text starting here has no closing {quote}")),
    }
}

fn number(source: &str, start: usize) -> Result<(Tok, usize), ExprError> {
    let rest = &source[start..];
    let len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    match rest[..len].parse::<f64>() {
        Ok(n) if n.is_finite() => Ok((Tok::Num(n), len)),
        // A number past f64 would be stored as `null` in the round's JSON and not read back.
        Ok(_) => err(start, "the number starting here is too large"),
        Err(_) => err(start, format!("`{}` is not a number", &rest[..len])),
    }
}
