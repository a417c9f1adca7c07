//! The `show_if` language: parsed and type-checked against the questions before it in one pass,
//! evaluated against the answers given so far.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum | "not"? "in" "[" literal, ... "]")?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | atom
//! atom    := literal | ref | call | "(" expr ")"
//! call    := selected(ref, 'v') | answered(ref) | count(ref)
//! ```
//! A comparison with an unanswered question is false, whatever the operator.

use serde::{Deserialize, Serialize};

pub use super::eval::references;
use super::lexer::{Lexer, Tok};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Lit {
    Text(String),
    Num(f64),
    Bool(bool),
}

/// A question, or one item of a matrix question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ref {
    pub question: String,
    pub item: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// How the operator is written, for messages.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Lit(Lit),
    Ref(Ref),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    In { value: Box<Expr>, list: Vec<Lit>, negated: bool },
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Selected(Ref, String),
    Answered(Ref),
    Count(Ref),
}

/// What the checker needs to know about a question a condition names.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Bool,
    Num,
    Text,
    Date,
    /// A single choice: one of these values.
    Choice(Vec<String>),
    /// A scale or matrix item: one of these numbers.
    Points(Vec<i64>),
    /// A multi choice over these values.
    Many(Vec<String>),
    /// A matrix with these item ids, on a scale with these points.
    Matrix(Vec<String>, Vec<i64>),
    Slot,
    /// A question with problems of its own: anything goes, so they are not reported twice.
    Any,
}

/// How a name in a condition resolves, seen from the question that holds the condition.
pub enum Lookup {
    Earlier(Ty),
    SelfRef,
    Later,
    Unknown { suggestion: Option<String> },
}

pub trait Scope {
    fn lookup(&self, id: &str) -> Lookup;
}

/// A problem at a byte offset in the expression's source.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

pub(super) fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError { offset, message: message.into() })
}

/// Parses and checks `source`; the result is a condition (yields true or false).
pub fn parse(source: &str, scope: &dyn Scope) -> Result<Expr, ExprError> {
    let mut parser = Parser { lexer: Lexer::new(source)?, scope, depth: 0 };
    let (expr, ty) = parser.or()?;
    if let Some((offset, tok)) = parser.lexer.peek() {
        return err(offset, format!("unexpected {tok} after a complete condition"));
    }
    if !matches!(ty, Ty::Bool | Ty::Any) {
        let message =
            "this is a value, not a condition; compare it, e.g. `wijk = 'noord'`, or use answered(q)";
        return err(0, message);
    }
    Ok(expr)
}

struct Parser<'a> {
    lexer: Lexer,
    scope: &'a dyn Scope,
    depth: usize,
}

type Typed = (Expr, Ty);

impl Parser<'_> {
    fn or(&mut self) -> Result<Typed, ExprError> {
        self.depth += 1;
        if self.depth > 64 {
            return err(self.lexer.offset(), "condition nested too deeply");
        }
        let left_at = self.lexer.offset();
        let mut left = self.and()?;
        while self.lexer.eat_word("or") {
            let right_at = self.lexer.offset();
            let right = self.and()?;
            left = (Expr::Or(bool_operand(left, left_at)?, bool_operand(right, right_at)?), Ty::Bool);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Typed, ExprError> {
        let left_at = self.lexer.offset();
        let mut left = self.not()?;
        while self.lexer.eat_word("and") {
            let right_at = self.lexer.offset();
            let right = self.not()?;
            left = (Expr::And(bool_operand(left, left_at)?, bool_operand(right, right_at)?), Ty::Bool);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Typed, ExprError> {
        if self.lexer.peek_word("not") && !self.lexer.peek_word_at(1, "in") {
            self.lexer.next();
            let at = self.lexer.offset();
            let inner = self.not()?;
            return Ok((Expr::Not(bool_operand(inner, at)?), Ty::Bool));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Typed, ExprError> {
        let left_at = self.lexer.offset();
        let left = self.sum()?;
        let op_at = self.lexer.offset();
        if let Some(op) = self.lexer.eat_cmp() {
            let right_at = self.lexer.offset();
            let right = self.sum()?;
            return super::typing::comparison(op, op_at, (left, left_at), (right, right_at));
        }
        let negated = self.lexer.peek_word("not");
        if negated || self.lexer.peek_word("in") {
            if negated {
                self.lexer.next();
                if !self.lexer.eat_word("in") {
                    return err(self.lexer.offset(), "expected `in [...]` after `not`");
                }
            } else {
                self.lexer.next();
            }
            let list = self.literal_list()?;
            return super::typing::membership(left, left_at, list, negated);
        }
        Ok(left)
    }

    fn literal_list(&mut self) -> Result<Vec<(usize, Lit)>, ExprError> {
        self.expect(&Tok::LBrack, "`[` to start the list, e.g. in ['a', 'b']")?;
        let mut list = Vec::new();
        loop {
            let at = self.lexer.offset();
            match self.lexer.next() {
                Some((_, Tok::RBrack)) if list.is_empty() => {
                    return err(at, "the list after `in` is empty");
                }
                Some((_, Tok::Str(s))) => list.push((at, Lit::Text(s))),
                Some((_, Tok::Num(n))) => list.push((at, Lit::Num(n))),
                Some((_, Tok::Minus)) => match self.lexer.next() {
                    Some((_, Tok::Num(n))) => list.push((at, Lit::Num(-n))),
                    _ => return err(at, "expected a number after `-`"),
                },
                Some((_, Tok::Word(w))) if w == "true" || w == "false" => {
                    list.push((at, Lit::Bool(w == "true")))
                }
                _ => return err(at, "a list after `in` holds only literals: 'text', 12, true"),
            }
            match self.lexer.next() {
                Some((_, Tok::Comma)) => continue,
                Some((_, Tok::RBrack)) => return Ok(list),
                _ => return err(self.lexer.offset(), "expected `,` or `]` in the list"),
            }
        }
    }

    fn sum(&mut self) -> Result<Typed, ExprError> {
        let mut left = self.product()?;
        loop {
            let op = match self.lexer.peek() {
                Some((_, Tok::Plus)) => ArithOp::Add,
                Some((_, Tok::Minus)) => ArithOp::Sub,
                _ => return Ok(left),
            };
            let at = self.lexer.offset();
            self.lexer.next();
            let right = self.product()?;
            left = super::typing::arithmetic(op, left, right, at)?;
        }
    }

    fn product(&mut self) -> Result<Typed, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.lexer.peek() {
                Some((_, Tok::Star)) => ArithOp::Mul,
                Some((_, Tok::Slash)) => ArithOp::Div,
                _ => return Ok(left),
            };
            let at = self.lexer.offset();
            self.lexer.next();
            let right = self.unary()?;
            left = super::typing::arithmetic(op, left, right, at)?;
        }
    }

    fn unary(&mut self) -> Result<Typed, ExprError> {
        if let Some((at, Tok::Minus)) = self.lexer.peek() {
            self.lexer.next();
            let inner = self.unary()?;
            if let (Expr::Lit(Lit::Num(n)), Ty::Num) = &inner {
                return Ok((Expr::Lit(Lit::Num(-n)), Ty::Num));
            }
            let zero = (Expr::Lit(Lit::Num(0.0)), Ty::Num);
            return super::typing::arithmetic(ArithOp::Sub, zero, inner, at);
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Typed, ExprError> {
        let at = self.lexer.offset();
        match self.lexer.next() {
            Some((_, Tok::Str(s))) => Ok((Expr::Lit(Lit::Text(s)), Ty::Text)),
            Some((_, Tok::Num(n))) => Ok((Expr::Lit(Lit::Num(n)), Ty::Num)),
            Some((_, Tok::LParen)) => {
                let inner = self.or()?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(inner)
            }
            Some((_, Tok::Word(w))) => self.word(w, at),
            Some((_, tok)) => err(at, format!("unexpected {tok}; expected a question id or a value")),
            None => err(at, "the condition ends too early; expected a question id or a value"),
        }
    }

    fn word(&mut self, word: String, at: usize) -> Result<Typed, ExprError> {
        match word.as_str() {
            "true" | "false" => return Ok((Expr::Lit(Lit::Bool(word == "true")), Ty::Bool)),
            "and" | "or" | "not" | "in" => {
                return err(at, format!("`{word}` needs a value before it"));
            }
            _ => {}
        }
        if matches!(self.lexer.peek(), Some((_, Tok::LParen))) {
            return self.call(&word, at);
        }
        let reference = self.reference_rest(word)?;
        let ty = super::typing::resolve(self.scope, &reference, at)?;
        Ok((Expr::Ref(reference), ty))
    }

    fn reference_rest(&mut self, question: String) -> Result<Ref, ExprError> {
        if !matches!(self.lexer.peek(), Some((_, Tok::Dot))) {
            return Ok(Ref { question, item: None });
        }
        self.lexer.next();
        let at = self.lexer.offset();
        match self.lexer.next() {
            Some((_, Tok::Word(item))) => Ok(Ref { question, item: Some(item) }),
            _ => err(at, "expected a matrix item id after `.`"),
        }
    }

    fn call(&mut self, name: &str, at: usize) -> Result<Typed, ExprError> {
        self.lexer.next(); // (
        let ref_at = self.lexer.offset();
        let reference = match self.lexer.next() {
            Some((_, Tok::Word(w))) => self.reference_rest(w)?,
            _ => return err(ref_at, format!("{name}(...) takes a question id first")),
        };
        let ty = super::typing::resolve(self.scope, &reference, ref_at)?;
        let expr = match name {
            "selected" => {
                self.expect(&Tok::Comma, "`,` and the option value, e.g. selected(q, 'a')")?;
                let value_at = self.lexer.offset();
                let value = match self.lexer.next() {
                    Some((_, Tok::Str(s))) => s,
                    _ => return err(value_at, "selected(q, 'value') takes a quoted value"),
                };
                super::typing::selected(&reference, &ty, &value, ref_at, value_at)?;
                (Expr::Selected(reference, value), Ty::Bool)
            }
            "answered" => (Expr::Answered(reference), Ty::Bool),
            "count" => {
                if !matches!(ty, Ty::Many(_) | Ty::Slot | Ty::Any) {
                    return err(ref_at, "count(q) applies to a multi or slot question");
                }
                (Expr::Count(reference), Ty::Num)
            }
            _ => {
                return err(
                    at,
                    format!("unknown function `{name}`; use selected(q, 'v'), answered(q) or count(q)"),
                );
            }
        };
        self.expect(&Tok::RParen, "`)`")?;
        Ok(expr)
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), ExprError> {
        let at = self.lexer.offset();
        match self.lexer.next() {
            Some((_, t)) if &t == tok => Ok(()),
            _ => err(at, format!("expected {what}")),
        }
    }
}

fn bool_operand(typed: Typed, at: usize) -> Result<Box<Expr>, ExprError> {
    match typed.1 {
        Ty::Bool | Ty::Any => Ok(Box::new(typed.0)),
        _ => err(at, "`and`, `or` and `not` join conditions, e.g. `a = 1 and b = 'x'`"),
    }
}
