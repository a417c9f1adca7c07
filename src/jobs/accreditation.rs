//! `[[accreditation]]` in a sign-up job file: the registers its activity counts for (ABC1 in
//! GAIA, the Kwaliteitsregister POH-GGZ), each checked once into an `accreditation::Register`
//! with its problems at `file:line:col`, as the other tables are.

use toml::de::DeTable;

use super::sections::{Vocabulary, codes};
use crate::accreditation::{Asks, Deadline, Register};
use crate::forms::Forms;
use crate::forms::diag::nearest;
use crate::forms::fields::{At, Ctx, Fields};

pub const ACCREDITATION_KEYS: &[&str] = &["register", "name", "roles", "asks", "format", "deadline"];

/// Every `[[accreditation]]` table of `tables`; a register id given twice is reported at the second.
pub fn registers(ctx: &Ctx<'_>, tables: At<&toml::de::DeArray<'_>>, forms: &Forms) -> Vec<Register> {
    let mut out: Vec<Register> = Vec::new();
    for value in tables.value.iter() {
        let Some(table) = value.get_ref().as_table() else {
            ctx.report(value.span().start, "write each register as an [[accreditation]] table");
            continue;
        };
        let Some(register) = register(ctx, table, value.span().start, forms) else { continue };
        if out.iter().any(|r| r.id == register.id) {
            let message = format!("the register `{}` is listed twice; remove one", register.id);
            ctx.report(value.span().start, message);
            continue;
        }
        out.push(register);
    }
    out
}

fn register(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize, forms: &Forms) -> Option<Register> {
    let mut f = Fields::new(ctx, table, at);
    let id = f.required_str("register", "\"abc1\"").and_then(|id| register_id(ctx, id));
    let name = f.required_str("name", "\"ABC1 (GAIA)\"").map(|n| n.value.trim().to_string());
    let roles = codes(&mut f, "roles", &Vocabulary::of(forms, "rollen", "role", "roles"));
    let asks = f.required_str("asks", "\"big\"").and_then(|a| asks(ctx, a));
    let format = f.required_str("format", "\"BIG-{nummer}\"").and_then(|t| format(ctx, t));
    let deadline = f.required_str("deadline", "\"2 maanden\"").and_then(|d| deadline(ctx, d));
    f.finish(ACCREDITATION_KEYS, |_| None);
    Some(Register { id: id?, name: name?, roles, asks: asks?, format: format?, deadline: deadline? })
}

/// The id is where a person's number is remembered: a change would forget every number.
fn register_id(ctx: &Ctx<'_>, id: At<&str>) -> Option<String> {
    if crate::forms::is_form_id(id.value) {
        return Some(id.value.to_string());
    }
    ctx.report(id.at, "`register` is an id: use lower-case letters, digits and - only, e.g. \"abc1\"");
    None
}

fn asks(ctx: &Ctx<'_>, text: At<&str>) -> Option<Asks> {
    match text.value {
        "big" => Some(Asks::Big),
        "lidnummer" => Some(Asks::Lidnummer),
        other => {
            let message = match nearest(other, ["big", "lidnummer"]) {
                Some(near) => {
                    format!("`asks` is \"big\" or \"lidnummer\", not \"{other}\"; did you mean `{near}`?")
                }
                None => format!(
                    "`asks` is \"big\" (the register knows people by their BIG number) or \"lidnummer\" \
                     (by their own number there), not \"{other}\""
                ),
            };
            ctx.report(text.at, message);
            None
        }
    }
}

fn format(ctx: &Ctx<'_>, text: At<&str>) -> Option<String> {
    if text.value.contains("{nummer}") {
        return Some(text.value.to_string());
    }
    let message = format!(
        "`format` must contain {{nummer}} where the number goes, e.g. \"BIG-{{nummer}}\"; \"{}\" has none",
        text.value
    );
    ctx.report(text.at, message);
    None
}

/// "2 maanden", "6 weken", "42 dagen" (or one "maand", "week", "dag"), or "deelnemer": the
/// participant enters it herself.
pub fn parse_deadline(text: &str) -> Option<Deadline> {
    if text.trim() == "deelnemer" {
        return Some(Deadline::Participant);
    }
    let (count, unit) = text.trim().split_once(' ')?;
    let n: u32 = count.parse().ok().filter(|n| *n > 0)?;
    match unit.trim() {
        "maand" | "maanden" => Some(Deadline::Months(n)),
        "week" | "weken" => n.checked_mul(7).map(Deadline::Days),
        "dag" | "dagen" => Some(Deadline::Days(n)),
        _ => None,
    }
}

fn deadline(ctx: &Ctx<'_>, text: At<&str>) -> Option<Deadline> {
    let parsed = parse_deadline(text.value);
    if parsed.is_none() {
        let message = format!(
            "\"{}\" is not a deadline; write a number and maanden, weken or dagen, e.g. \"2 maanden\" or \"6 weken\", or \"deelnemer\" when the participant enters it herself",
            text.value
        );
        ctx.report(text.at, message);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_in_months_weeks_or_days() {
        assert_eq!(parse_deadline("2 maanden"), Some(Deadline::Months(2)));
        assert_eq!(parse_deadline("1 maand"), Some(Deadline::Months(1)));
        assert_eq!(parse_deadline("6 weken"), Some(Deadline::Days(42)));
        assert_eq!(parse_deadline("42 dagen"), Some(Deadline::Days(42)));
        assert_eq!(parse_deadline("deelnemer"), Some(Deadline::Participant));
        assert_eq!(parse_deadline("2 months"), None);
        assert_eq!(parse_deadline("0 dagen"), None);
        assert_eq!(parse_deadline("2maanden"), None);
    }
}
