//! A `show_if` condition in plain Dutch, for the line next to a question whose condition reads
//! answers on its own page. The page script shows and hides such a question as the person
//! answers; without the script every one of them is shown, and the answer to one whose
//! condition does not hold is not kept. So the person is told which answer it belongs to.

use super::expr::{ArithOp, CmpOp, Expr, Lit, Ref, references};
use super::model::{Form, OTHER, QuestionKind};

/// "Alleen invullen als u bij ‘Had u contact?’ ‘Ja’ antwoordde." for `condition`, whose names
/// are questions of `form`. A condition too involved for one sentence (arithmetic other than a
/// sum, two answers compared, `not` around a group, `or` inside `and`) names the questions it
/// reads instead.
pub fn only_if(form: &Form, condition: &Expr) -> String {
    if let Some(text) = sentence(form, condition) {
        return format!("Alleen invullen als {text}.");
    }
    let mut ids = Vec::new();
    references(condition, &mut ids);
    let mut names: Vec<String> = Vec::new();
    for id in ids {
        let name = name(form, &Ref { question: id, item: None });
        if !names.contains(&name) {
            names.push(name);
        }
    }
    format!("Alleen invullen bij bepaalde antwoorden op {}.", list_of(&names, "en"))
}

/// `a or b and c` as "a, of als b en c"; `None` when a part has no words of its own.
fn sentence(form: &Form, condition: &Expr) -> Option<String> {
    let mut alternatives = Vec::new();
    flatten(condition, true, &mut alternatives);
    let mut parts: Vec<Vec<String>> = Vec::new();
    for alternative in alternatives {
        let mut all = Vec::new();
        flatten(alternative, false, &mut all);
        parts.push(all.into_iter().map(|e| clause(form, e)).collect::<Option<_>>()?);
    }
    let grouped = parts.len() > 1 && parts.iter().any(|p| p.len() > 1);
    let texts: Vec<String> = parts.iter().map(|p| p.join(" en ")).collect();
    Some(texts.join(if grouped { ", of als " } else { " of " }))
}

/// The operands of a chain of `or` (or of `and`), in order.
fn flatten<'e>(e: &'e Expr, or: bool, out: &mut Vec<&'e Expr>) {
    match (e, or) {
        (Expr::Or(a, b), true) | (Expr::And(a, b), false) => {
            flatten(a, or, out);
            flatten(b, or, out);
        }
        _ => out.push(e),
    }
}

/// One condition on one answer, as a clause after "als": "u bij ‘X’ ‘Ja’ antwoordde".
fn clause(form: &Form, e: &Expr) -> Option<String> {
    match e {
        Expr::Ref(r) => compared(form, r, CmpOp::Eq, &Lit::Bool(true)),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Ref(r) => compared(form, r, CmpOp::Eq, &Lit::Bool(false)),
            Expr::Answered(r) => Some(format!("u {} niet beantwoordde", name(form, r))),
            Expr::Selected(r, v) => {
                Some(format!("u bij {} {} niet aankruiste", name(form, r), option(form, r, v)))
            }
            _ => None,
        },
        Expr::Answered(r) => Some(format!("u {} beantwoordde", name(form, r))),
        Expr::Selected(r, v) => Some(format!("u bij {} {} aankruiste", name(form, r), option(form, r, v))),
        Expr::Cmp(op, a, b) => match (a.as_ref(), b.as_ref()) {
            (Expr::Ref(r), Expr::Lit(l)) => compared(form, r, *op, l),
            (Expr::Lit(l), Expr::Ref(r)) => compared(form, r, flip(*op), l),
            (Expr::Count(r), Expr::Lit(Lit::Num(n))) => counted(form, r, *op, *n),
            (Expr::Lit(Lit::Num(n)), Expr::Count(r)) => counted(form, r, flip(*op), *n),
            (sum @ Expr::Arith(..), Expr::Lit(Lit::Num(n))) => summed(form, sum, *op, *n),
            (Expr::Lit(Lit::Num(n)), sum @ Expr::Arith(..)) => summed(form, sum, flip(*op), *n),
            _ => None,
        },
        Expr::In { value, list, negated } => match value.as_ref() {
            Expr::Ref(r) => among(form, r, list, *negated),
            _ => None,
        },
        _ => None,
    }
}

/// `5 < x` is `x > 5`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        same => same,
    }
}

/// The answer to `r` compared with `lit`. Where the answers are a fixed set (yes/no, a single
/// choice, a scale) the clause names the ones that make it hold: `tevreden <= 2` is "‘Zeer
/// ontevreden’ of ‘Ontevreden’", which a person reads more easily than a number.
fn compared(form: &Form, r: &Ref, op: CmpOp, lit: &Lit) -> Option<String> {
    if let Some(values) = answers(form, r) {
        let holding = values.iter().filter(|(v, _)| holds(op, v, lit)).map(|(_, label)| label.clone());
        return chosen(form, r, holding.collect(), values.len());
    }
    let name = name(form, r);
    match (op, lit) {
        (CmpOp::Eq, _) => Some(format!("u bij {name} {} antwoordde", shown(lit))),
        (CmpOp::Ne, _) => Some(format!("u bij {name} iets anders dan {} antwoordde", shown(lit))),
        (_, Lit::Num(n)) => Some(format!("u bij {name} {} antwoordde", quantity(op, *n))),
        _ => None,
    }
}

/// `x in [...]` and `x not in [...]`.
fn among(form: &Form, r: &Ref, list: &[Lit], negated: bool) -> Option<String> {
    if let Some(values) = answers(form, r) {
        let holding =
            values.iter().filter(|(v, _)| list.contains(v) != negated).map(|(_, label)| label.clone());
        return chosen(form, r, holding.collect(), values.len());
    }
    let shown: Vec<String> = list.iter().map(shown).collect();
    let but = if negated { "iets anders dan " } else { "" };
    Some(format!("u bij {} {but}{} antwoordde", name(form, r), list_of(&shown, "of")))
}

/// The clause for the answers (`labels`, out of `all`) that make a condition hold.
fn chosen(form: &Form, r: &Ref, labels: Vec<String>, all: usize) -> Option<String> {
    match labels.len() {
        0 => None,
        // Every answer will do; a comparison with no answer at all is false.
        n if n == all => Some(format!("u {} beantwoordde", name(form, r))),
        _ => {
            let quoted: Vec<String> = labels.iter().map(|l| quote(l)).collect();
            Some(format!("u bij {} {} antwoordde", name(form, r), list_of(&quoted, "of")))
        }
    }
}

/// `count(x) >= 2`.
fn counted(form: &Form, r: &Ref, op: CmpOp, n: f64) -> Option<String> {
    let how_many = match op {
        CmpOp::Eq => format!("precies {}", number(n)),
        CmpOp::Ne => return None,
        _ => quantity(op, n),
    };
    let noun = if n == 1.0 && op == CmpOp::Eq { "keuze" } else { "keuzes" };
    Some(format!("u bij {} {how_many} {noun} aankruiste", name(form, r)))
}

/// `a + b > 14`: "u bij ‘A’ en ‘B’ samen meer dan 14 antwoordde". Other arithmetic has no
/// short wording.
fn summed(form: &Form, sum: &Expr, op: CmpOp, n: f64) -> Option<String> {
    fn terms(form: &Form, e: &Expr) -> Option<Vec<String>> {
        match e {
            Expr::Arith(ArithOp::Add, a, b) => {
                let mut names = terms(form, a)?;
                names.extend(terms(form, b)?);
                Some(names)
            }
            Expr::Ref(r) => Some(vec![name(form, r)]),
            _ => None,
        }
    }
    if op == CmpOp::Ne {
        return None;
    }
    let names = terms(form, sum)?;
    Some(format!("u bij {} samen {} antwoordde", list_of(&names, "en"), quantity(op, n)))
}

/// Every answer `r` can have, with its label, when that is a short fixed set.
fn answers(form: &Form, r: &Ref) -> Option<Vec<(Lit, String)>> {
    let question = form.question(&r.question)?;
    let points = |points: &[super::model::ScalePoint]| {
        points.iter().map(|p| (Lit::Num(p.value as f64), p.label.nl.clone())).collect()
    };
    match (&question.kind, &r.item) {
        (QuestionKind::Yesno | QuestionKind::Consent, None) => {
            Some(vec![(Lit::Bool(true), "Ja".into()), (Lit::Bool(false), "Nee".into())])
        }
        (QuestionKind::Single { options, other, .. }, None) => {
            let mut values: Vec<(Lit, String)> =
                options.iter().map(|o| (Lit::Text(o.value.clone()), o.label.nl.clone())).collect();
            if *other {
                values.push((Lit::Text(OTHER.into()), "Anders, namelijk".into()));
            }
            Some(values)
        }
        (QuestionKind::Scale { points: p, .. }, None) | (QuestionKind::Matrix { points: p, .. }, Some(_)) => {
            Some(points(p))
        }
        _ => None,
    }
}

fn holds(op: CmpOp, value: &Lit, against: &Lit) -> bool {
    let order = match (value, against) {
        (Lit::Num(a), Lit::Num(b)) => a.partial_cmp(b),
        (Lit::Text(a), Lit::Text(b)) => Some(a.cmp(b)),
        (Lit::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    order.is_some_and(|o| match op {
        CmpOp::Eq => o.is_eq(),
        CmpOp::Ne => o.is_ne(),
        CmpOp::Lt => o.is_lt(),
        CmpOp::Le => o.is_le(),
        CmpOp::Gt => o.is_gt(),
        CmpOp::Ge => o.is_ge(),
    })
}

/// The question (and matrix item) as the person sees it: ‘Hoe tevreden bent u? – ANW’.
fn name(form: &Form, r: &Ref) -> String {
    let Some(question) = form.question(&r.question) else { return quote(&r.question) };
    let item = match (&question.kind, &r.item) {
        (QuestionKind::Matrix { items, .. }, Some(id)) => {
            items.iter().find(|i| &i.value == id).map_or(id.as_str(), |i| i.label.nl.as_str())
        }
        _ => return quote(&question.label.nl),
    };
    quote(&format!("{} – {item}", question.label.nl))
}

/// The label of option `value` of a choice question.
fn option(form: &Form, r: &Ref, value: &str) -> String {
    let options = match form.question(&r.question).map(|q| &q.kind) {
        Some(QuestionKind::Multi { options, .. } | QuestionKind::Single { options, .. }) => {
            options.as_slice()
        }
        _ => &[],
    };
    match options.iter().find(|o| o.value == value) {
        Some(o) => quote(&o.label.nl),
        None if value == OTHER => quote("Anders, namelijk"),
        None => quote(value),
    }
}

/// A value written in the condition, for a question without a fixed set of answers.
fn shown(lit: &Lit) -> String {
    match lit {
        Lit::Text(t) => quote(t),
        Lit::Num(n) => number(*n),
        Lit::Bool(true) => quote("Ja"),
        Lit::Bool(false) => quote("Nee"),
    }
}

fn quantity(op: CmpOp, n: f64) -> String {
    let n = number(n);
    match op {
        CmpOp::Lt => format!("minder dan {n}"),
        CmpOp::Le => format!("{n} of minder"),
        CmpOp::Gt => format!("meer dan {n}"),
        CmpOp::Ge => format!("{n} of meer"),
        CmpOp::Eq | CmpOp::Ne => n,
    }
}

/// With the Dutch decimal comma, as the person types it.
fn number(n: f64) -> String {
    if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string().replace('.', ",") }
}

fn quote(text: &str) -> String {
    format!("‘{text}’")
}

/// "a", "a of b", "a, b of c".
fn list_of(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., end] => format!("{} {last} {end}", init.join(", ")),
    }
}
