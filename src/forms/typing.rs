//! Type rules of the `show_if` language: which question can be compared with what, and which
//! literal values a question can actually take.

use super::expr::{ArithOp, CmpOp, Expr, ExprError, Lit, Lookup, Ref, Scope, Ty, err};

type Typed = (Expr, Ty);

/// The type of a reference, or why it cannot be used here.
pub fn resolve(scope: &dyn Scope, r: &Ref, at: usize) -> Result<Ty, ExprError> {
    let ty = match scope.lookup(&r.question) {
        Lookup::Earlier(ty) => ty,
        Lookup::SelfRef => return err(at, format!("`{}` cannot depend on itself", r.question)),
        Lookup::Later => {
            return err(
                at,
                format!(
                    "`{}` comes later in the form; show_if may only use earlier questions \
                     (move this question after it)",
                    r.question
                ),
            );
        }
        Lookup::Unknown { suggestion } => {
            let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            return err(at, format!("there is no question `{}`{hint}", r.question));
        }
    };
    match (&r.item, ty) {
        (None, ty) => Ok(ty),
        (Some(_), Ty::Any) => Ok(Ty::Any),
        (Some(item), Ty::Matrix(items, points)) if items.contains(item) => Ok(Ty::Points(points)),
        (Some(item), Ty::Matrix(items, _)) => {
            err(at, format!("matrix `{}` has no item `{item}`; its items are {}", r.question, list(&items)))
        }
        (Some(_), _) => err(at, format!("`{}` is not a matrix; drop the `.item`", r.question)),
    }
}

/// `left op right`, each side with where it starts; `op_at` is where the operator is.
pub fn comparison(
    op: CmpOp,
    op_at: usize,
    (left, left_at): (Typed, usize),
    (right, right_at): (Typed, usize),
) -> Result<Typed, ExprError> {
    check_value(&left, &right.0, right_at)?;
    check_value(&right, &left.0, left_at)?;
    let (lc, rc) = (class(&left.1, left_at)?, class(&right.1, right_at)?);
    let (lc, rc) = (as_date(lc, &left.0, rc), as_date(rc, &right.0, lc));
    if lc != rc && lc != Class::Any && rc != Class::Any {
        return err(right_at, format!("cannot compare {} with {}", lc.name(), rc.name()));
    }
    let ordered = matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge);
    let class = if lc == Class::Any { rc } else { lc };
    if ordered && !matches!(class, Class::Num | Class::Date | Class::Any) {
        let what = if matches!(left.1, Ty::Choice(_)) { "a single choice" } else { class.name() };
        let message = format!(
            "`{}` compares numbers or dates; {} is {what}, so use = or != (or `in [...]`)",
            op.symbol(),
            subject(&left.0)
        );
        return err(op_at, message);
    }
    Ok((Expr::Cmp(op, Box::new(left.0), Box::new(right.0)), Ty::Bool))
}

/// A text literal compared with a date is a date, e.g. '2025-01-31'; `check_value` has checked
/// that it reads as one.
fn as_date(class: Class, expr: &Expr, other: Class) -> Class {
    match (class, expr, other) {
        (Class::Text, Expr::Lit(Lit::Text(_)), Class::Date) => Class::Date,
        _ => class,
    }
}

/// How a message names the question side of a comparison.
fn subject(expr: &Expr) -> String {
    match expr {
        Expr::Ref(Ref { question, item: Some(item) }) => format!("`{question}.{item}`"),
        Expr::Ref(Ref { question, item: None }) => format!("`{question}`"),
        _ => "the value".to_string(),
    }
}

pub fn membership(
    value: Typed,
    at: usize,
    list: Vec<(usize, Lit)>,
    negated: bool,
) -> Result<Typed, ExprError> {
    let class = class(&value.1, at)?;
    for (lit_at, lit) in &list {
        let lit_expr = Expr::Lit(lit.clone());
        check_value(&value, &lit_expr, *lit_at)?;
        let lit_class = match lit {
            Lit::Text(_) if class == Class::Date => Class::Date,
            Lit::Text(_) => Class::Text,
            Lit::Num(_) => Class::Num,
            Lit::Bool(_) => Class::Bool,
        };
        if lit_class != class && class != Class::Any {
            return err(*lit_at, format!("cannot compare {} with {}", class.name(), lit_class.name()));
        }
    }
    let list = list.into_iter().map(|(_, l)| l).collect();
    Ok((Expr::In { value: Box::new(value.0), list, negated }, Ty::Bool))
}

pub fn arithmetic(op: ArithOp, left: Typed, right: Typed, at: usize) -> Result<Typed, ExprError> {
    for ty in [&left.1, &right.1] {
        if !matches!(class(ty, at)?, Class::Num | Class::Any) {
            return err(at, "arithmetic (+ - * /) works on numbers only");
        }
    }
    Ok((Expr::Arith(op, Box::new(left.0), Box::new(right.0)), Ty::Num))
}

pub fn selected(r: &Ref, ty: &Ty, value: &str, at: usize, value_at: usize) -> Result<(), ExprError> {
    match ty {
        Ty::Many(options) | Ty::Choice(options) => {
            if options.iter().any(|o| o == value) || value == super::model::OTHER {
                Ok(())
            } else {
                err(value_at, not_an_option(&format!("`{}`", r.question), value, options))
            }
        }
        Ty::Any => Ok(()),
        _ => err(at, format!("selected() applies to a single or multi choice; `{}` is not", r.question)),
    }
}

/// A literal compared with a question must be a value the question can take.
fn check_value((expr, ty): &Typed, other: &Expr, at: usize) -> Result<(), ExprError> {
    match (ty, other) {
        (Ty::Choice(options), Expr::Lit(Lit::Text(v))) => {
            if options.contains(v) || v == super::model::OTHER {
                return Ok(());
            }
            err(at, not_an_option(&subject(expr), v, options))
        }
        (Ty::Points(points), Expr::Lit(Lit::Num(n))) if !points.is_empty() => {
            if points.iter().any(|p| *p as f64 == *n) {
                return Ok(());
            }
            let values: Vec<String> = points.iter().map(i64::to_string).collect();
            let scale = subject(expr);
            err(at, format!("{n} is not on the scale of {scale}; its points are {}", values.join(", ")))
        }
        (Ty::Date, Expr::Lit(Lit::Text(v))) => match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(_) => Ok(()),
            Err(_) => err(at, format!("'{v}' is not a date; write it as 'YYYY-MM-DD'")),
        },
        _ => Ok(()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Bool,
    Num,
    Text,
    Date,
    Any,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Bool => "a yes/no value (true/false)",
            Class::Num => "a number",
            Class::Text => "text",
            Class::Date => "a date",
            Class::Any => "an answer",
        }
    }
}

fn class(ty: &Ty, at: usize) -> Result<Class, ExprError> {
    match ty {
        Ty::Bool => Ok(Class::Bool),
        Ty::Num | Ty::Points(_) => Ok(Class::Num),
        Ty::Text | Ty::Choice(_) => Ok(Class::Text),
        Ty::Date => Ok(Class::Date),
        Ty::Any => Ok(Class::Any),
        Ty::Many(_) => err(at, "a multi question holds several values; use selected(q, 'v') or count(q)"),
        Ty::Matrix(..) => err(at, "compare one item of a matrix, e.g. `q.item >= 4`, or use answered(q)"),
        Ty::Slot => err(at, "a slot question can only be tested with answered(q) or count(q)"),
    }
}

fn not_an_option(question: &str, value: &str, options: &[String]) -> String {
    format!("'{value}' is not an option of {question}; its options are {}", list(options))
}

fn list(values: &[String]) -> String {
    let shown: Vec<String> = values.iter().take(12).map(|v| format!("'{v}'")).collect();
    let more = if values.len() > 12 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}
