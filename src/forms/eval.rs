//! Evaluating a checked `show_if` condition against the answers given so far. A comparison with
//! an unanswered question is false, whatever the operator.

use super::answers::{Answer, Answers};
use super::expr::{ArithOp, CmpOp, Expr, Lit, Ref};
use super::model::NA;

/// A value during evaluation; `Missing` is an unanswered (or n.v.t.) question.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Bool(bool),
    Num(f64),
    Text(String),
    Missing,
}

impl Expr {
    /// Whether the condition holds for `answers`.
    pub fn holds(&self, answers: &Answers) -> bool {
        eval(self, answers) == Val::Bool(true)
    }
}

fn eval(expr: &Expr, answers: &Answers) -> Val {
    match expr {
        Expr::Lit(Lit::Text(s)) => Val::Text(s.clone()),
        Expr::Lit(Lit::Num(n)) => Val::Num(*n),
        Expr::Lit(Lit::Bool(b)) => Val::Bool(*b),
        Expr::Ref(r) => value_of(r, answers),
        Expr::Not(e) => Val::Bool(!truthy(eval(e, answers))),
        Expr::And(a, b) => Val::Bool(truthy(eval(a, answers)) && truthy(eval(b, answers))),
        Expr::Or(a, b) => Val::Bool(truthy(eval(a, answers)) || truthy(eval(b, answers))),
        Expr::Cmp(op, a, b) => Val::Bool(compare(*op, &eval(a, answers), &eval(b, answers))),
        Expr::In { value, list, negated } => match eval(value, answers) {
            Val::Missing => Val::Bool(false),
            v => Val::Bool(list.iter().any(|l| lit_val(l) == v) != *negated),
        },
        Expr::Arith(op, a, b) => arith(*op, eval(a, answers), eval(b, answers)),
        Expr::Selected(r, v) => Val::Bool(match lookup(r, answers) {
            Some(Answer::Many(values)) => values.contains(v),
            Some(Answer::Text(t)) => t == v,
            _ => false,
        }),
        Expr::Answered(r) => Val::Bool(lookup(r, answers).is_some_and(is_given)),
        Expr::Count(r) => match lookup(r, answers) {
            Some(Answer::Many(values)) => Val::Num(values.len() as f64),
            _ => Val::Num(0.0),
        },
    }
}

fn is_given(answer: &Answer) -> bool {
    match answer {
        Answer::Text(t) => !t.is_empty(),
        Answer::Many(v) => !v.is_empty(),
        Answer::Grid(g) => !g.is_empty(),
        Answer::Bool(_) | Answer::Number(_) => true,
    }
}

fn lookup<'a>(r: &Ref, answers: &'a Answers) -> Option<&'a Answer> {
    let answer = answers.get(&r.question)?;
    match (&r.item, answer) {
        (None, a) => Some(a),
        (Some(item), Answer::Grid(grid)) => grid.get(item),
        (Some(_), _) => None,
    }
}

fn value_of(r: &Ref, answers: &Answers) -> Val {
    match lookup(r, answers) {
        Some(Answer::Bool(b)) => Val::Bool(*b),
        Some(Answer::Number(n)) => Val::Num(*n),
        Some(Answer::Text(t)) if t.is_empty() || t == NA => Val::Missing,
        Some(Answer::Text(t)) => Val::Text(t.clone()),
        _ => Val::Missing,
    }
}

fn lit_val(lit: &Lit) -> Val {
    match lit {
        Lit::Text(s) => Val::Text(s.clone()),
        Lit::Num(n) => Val::Num(*n),
        Lit::Bool(b) => Val::Bool(*b),
    }
}

fn truthy(v: Val) -> bool {
    v == Val::Bool(true)
}

fn compare(op: CmpOp, a: &Val, b: &Val) -> bool {
    use std::cmp::Ordering;
    let ordering = match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ordering) = ordering else { return false };
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }
}

fn arith(op: ArithOp, a: Val, b: Val) -> Val {
    let (Val::Num(x), Val::Num(y)) = (a, b) else { return Val::Missing };
    let result = match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div if y == 0.0 => return Val::Missing,
        ArithOp::Div => x / y,
    };
    if result.is_finite() { Val::Num(result) } else { Val::Missing }
}

/// The question ids a condition names, for the live script and for dependency checks.
pub fn references(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Lit(_) => {}
        Expr::Ref(r) | Expr::Selected(r, _) | Expr::Answered(r) | Expr::Count(r) => {
            out.push(r.question.clone())
        }
        Expr::Not(e) | Expr::In { value: e, .. } => references(e, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) | Expr::Arith(_, a, b) => {
            references(a, out);
            references(b, out);
        }
    }
}
