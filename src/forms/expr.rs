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

/// How deep a condition may nest: brackets, `not`, `-` and every operator between the whole and
/// its innermost value count, so `a or b or c` is three levels. A round stores its form as JSON,
/// which is read back to at most 128 levels; a condition takes two per level and the form
/// around it six. Deeper is never needed (a long `or` of values is `in [...]`), and a limit
/// also keeps the parser's recursion and the evaluation short.
pub const MAX_DEPTH: usize = 40;

/// Parses and checks `source`; the result is a condition (yields true or false).
pub fn parse(source: &str, scope: &dyn Scope) -> Result<Expr, ExprError> {
    let mut parser = Parser { lexer: Lexer::new(source)?, scope, depth: 0 };
    let ((expr, ty), _) = parser.or()?;
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
/// A parsed part and the depth of its expression tree (a value is 1).
type Deep = (Typed, usize);

fn too_deep<T>(at: usize) -> Result<T, ExprError> {
    err(
        at,
        format!(
            "the condition is nested too deeply (more than {MAX_DEPTH} levels of brackets, `not`, \
             `and`, `or` and operators); write it more simply, e.g. q in ['a', 'b'] for a list of values"
        ),
    )
}

/// The depth of a part made of parts `inner` deep, or the error at `at` if that is too deep.
fn deeper(inner: usize, at: usize) -> Result<usize, ExprError> {
    if inner >= MAX_DEPTH { too_deep(at) } else { Ok(inner + 1) }
}

impl Parser<'_> {
    /// Runs `f` one recursion deeper: brackets, `not` and `-` recurse, and a stack is finite.
    fn nested(&mut self, at: usize, f: fn(&mut Self) -> Result<Deep, ExprError>) -> Result<Deep, ExprError> {
        if self.depth >= MAX_DEPTH {
            return too_deep(at);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Deep, ExprError> {
        let left_at = self.lexer.offset();
        let (mut left, mut depth) = self.and()?;
        loop {
            let op_at = self.lexer.offset();
            if !self.lexer.eat_word("or") {
                return Ok((left, depth));
            }
            let right_at = self.lexer.offset();
            let (right, right_depth) = self.and()?;
            depth = deeper(depth.max(right_depth), op_at)?;
            left = (Expr::Or(bool_operand(left, left_at)?, bool_operand(right, right_at)?), Ty::Bool);
        }
    }

    fn and(&mut self) -> Result<Deep, ExprError> {
        let left_at = self.lexer.offset();
        let (mut left, mut depth) = self.not()?;
        loop {
            let op_at = self.lexer.offset();
            if !self.lexer.eat_word("and") {
                return Ok((left, depth));
            }
            let right_at = self.lexer.offset();
            let (right, right_depth) = self.not()?;
            depth = deeper(depth.max(right_depth), op_at)?;
            left = (Expr::And(bool_operand(left, left_at)?, bool_operand(right, right_at)?), Ty::Bool);
        }
    }

    fn not(&mut self) -> Result<Deep, ExprError> {
        if self.lexer.peek_word("not") && !self.lexer.peek_word_at(1, "in") {
            let not_at = self.lexer.offset();
            self.lexer.next();
            let at = self.lexer.offset();
            let (inner, depth) = self.nested(not_at, Self::not)?;
            return Ok(((Expr::Not(bool_operand(inner, at)?), Ty::Bool), deeper(depth, not_at)?));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Deep, ExprError> {
        let left_at = self.lexer.offset();
        let (left, left_depth) = self.sum()?;
        let op_at = self.lexer.offset();
        if let Some(op) = self.lexer.eat_cmp() {
            let right_at = self.lexer.offset();
            let (right, right_depth) = self.sum()?;
            let depth = deeper(left_depth.max(right_depth), op_at)?;
            let typed = super::typing::comparison(op, op_at, (left, left_at), (right, right_at))?;
            return Ok((typed, depth));
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
            let depth = deeper(left_depth, op_at)?;
            return Ok((super::typing::membership(left, left_at, list, negated)?, depth));
        }
        Ok((left, left_depth))
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

    fn sum(&mut self) -> Result<Deep, ExprError> {
        let (mut left, mut depth) = self.product()?;
        loop {
            let op = match self.lexer.peek() {
                Some((_, Tok::Plus)) => ArithOp::Add,
                Some((_, Tok::Minus)) => ArithOp::Sub,
                _ => return Ok((left, depth)),
            };
            let at = self.lexer.offset();
            self.lexer.next();
            let (right, right_depth) = self.product()?;
            depth = deeper(depth.max(right_depth), at)?;
            left = super::typing::arithmetic(op, left, right, at)?;
        }
    }

    fn product(&mut self) -> Result<Deep, ExprError> {
        let (mut left, mut depth) = self.unary()?;
        loop {
            let op = match self.lexer.peek() {
                Some((_, Tok::Star)) => ArithOp::Mul,
                Some((_, Tok::Slash)) => ArithOp::Div,
                _ => return Ok((left, depth)),
            };
            let at = self.lexer.offset();
            self.lexer.next();
            let (right, right_depth) = self.unary()?;
            depth = deeper(depth.max(right_depth), at)?;
            left = super::typing::arithmetic(op, left, right, at)?;
        }
    }

    fn unary(&mut self) -> Result<Deep, ExprError> {
        if let Some((at, Tok::Minus)) = self.lexer.peek() {
            self.lexer.next();
            let (inner, depth) = self.nested(at, Self::unary)?;
            if let (Expr::Lit(Lit::Num(n)), Ty::Num) = &inner {
                return Ok(((Expr::Lit(Lit::Num(-n)), Ty::Num), depth));
            }
            let zero = (Expr::Lit(Lit::Num(0.0)), Ty::Num);
            let typed = super::typing::arithmetic(ArithOp::Sub, zero, inner, at)?;
            return Ok((typed, deeper(depth, at)?));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Deep, ExprError> {
        let at = self.lexer.offset();
        match self.lexer.next() {
            Some((_, Tok::Str(s))) => Ok(((Expr::Lit(Lit::Text(s)), Ty::Text), 1)),
            Some((_, Tok::Num(n))) => Ok(((Expr::Lit(Lit::Num(n)), Ty::Num), 1)),
            Some((_, Tok::LParen)) => {
                let inner = self.nested(at, Self::or)?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(inner)
            }
            Some((_, Tok::Word(w))) => self.word(w, at).map(|typed| (typed, 1)),
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
