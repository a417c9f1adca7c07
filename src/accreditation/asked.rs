//! What a person is asked for their accreditation, and what they typed, checked: the registers of
//! a round that count for their role decide which fields there are (`Asked`); `check` turns the
//! typed fields into `PersonDetails` or a Dutch message per field, so that nothing half-checked
//! is ever stored. The person's own link and the contact's page in /beheer both use it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{Asks, BigNumber, PersonDetails, Register, person};
use crate::contacts::ContactId;
use crate::db::{Db, Pool};
use crate::rounds::InvitationId;

/// The longest surname or register number kept; longer is a paste gone wrong.
const MAX_CHARS: usize = 100;

/// The registers that count for one person: what their form asks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    pub registers: Vec<Register>,
    /// Whether the BIG number is asked: a register asks it, or a coordinator sees every field.
    big: bool,
}

impl Asked {
    /// The registers of `all` that count for `role`.
    pub fn for_role(all: &[Register], role: &str) -> Asked {
        let registers: Vec<Register> = all.iter().filter(|r| r.counts_for(role)).cloned().collect();
        let big = registers.iter().any(|r| r.asks == Asks::Big);
        Asked { registers, big }
    }

    /// Everything, for the coordinator: the BIG number and the number at each of `registers`.
    pub fn everything(registers: Vec<Register>) -> Asked {
        Asked { registers, big: true }
    }

    pub fn is_empty(&self) -> bool {
        self.registers.is_empty()
    }

    pub fn big(&self) -> bool {
        self.big
    }

    /// The registers that know the person by their own number there.
    pub fn lidnummers(&self) -> impl Iterator<Item = &Register> {
        self.registers.iter().filter(|r| r.asks == Asks::Lidnummer)
    }

    /// What is still missing from `details`, in Dutch, in the order of the form.
    pub fn missing(&self, details: &PersonDetails) -> Vec<String> {
        let mut missing = Vec::new();
        if self.is_empty() {
            return missing;
        }
        if details.initials.is_empty() {
            missing.push("uw voorletters".to_string());
        }
        if details.surname.is_empty() {
            missing.push("uw achternaam".to_string());
        }
        if self.big() && details.big_number.is_none() {
            missing.push("uw BIG-nummer".to_string());
        }
        for register in self.lidnummers() {
            if details.number_for(register).is_none() {
                missing.push(format!("uw nummer bij {}", register.name));
            }
        }
        missing
    }
}

/// The fields as typed: `numbers` by register id.
#[derive(Clone, Debug, Default)]
pub struct Typed<'a> {
    pub initials: &'a str,
    pub surname: &'a str,
    pub big: &'a str,
    pub numbers: BTreeMap<String, String>,
}

/// A Dutch message per refused field: `voorletters`, `achternaam`, `big`, or a register id.
pub type FieldErrors = BTreeMap<String, String>;

/// Checks `typed` for a person asked `asked`. What the form does not ask is kept from
/// `before`: a POH-GGZ asked only her lidnummer keeps the BIG number she gave another time.
pub fn check(typed: &Typed<'_>, asked: &Asked, before: &PersonDetails) -> Result<PersonDetails, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut refuse = |field: &str, message: String| {
        errors.insert(field.to_string(), message);
    };
    let initials = initials(typed.initials).unwrap_or_else(|m| {
        refuse("voorletters", m);
        String::new()
    });
    let surname = surname(typed.surname).unwrap_or_else(|m| {
        refuse("achternaam", m);
        String::new()
    });
    let big_number = if asked.big() {
        big(typed.big).unwrap_or_else(|m| {
            refuse("big", m);
            None
        })
    } else {
        before.big_number.clone()
    };
    let mut numbers = BTreeMap::new();
    for register in asked.lidnummers() {
        let typed = typed.numbers.get(&register.id).map_or("", String::as_str);
        match lidnummer(typed, register) {
            Ok(number) => {
                numbers.insert(register.id.clone(), number);
            }
            Err(m) => refuse(&register.id, m),
        }
    }
    if errors.is_empty() { Ok(PersonDetails { initials, surname, big_number, numbers }) } else { Err(errors) }
}

/// Voorletters as the registers write them: "ja", "J A" and "J.A." are all "J.A."; a capital
/// with a small letter ("Th.") is one initial, as is "IJ".
pub fn initials(text: &str) -> Result<String, String> {
    let mut out = String::new();
    for part in text.split(['.', ' ', '\t']).filter(|p| !p.is_empty()) {
        if !part.chars().all(char::is_alphabetic) {
            return Err(format!(
                "Voorletters zijn alleen letters, zoals J.A.; \"{}\" bevat iets anders.",
                text.trim()
            ));
        }
        let mut chars = part.chars();
        let first = chars.next().unwrap_or_default();
        let rest: String = chars.collect();
        let one_initial = part.eq_ignore_ascii_case("ij")
            || (first.is_uppercase() && rest.chars().count() == 1 && rest.chars().all(char::is_lowercase));
        if one_initial {
            let word = if part.eq_ignore_ascii_case("ij") { "IJ".to_string() } else { part.to_string() };
            out.push_str(&word);
            out.push('.');
        } else {
            for c in part.chars() {
                out.extend(c.to_uppercase());
                out.push('.');
            }
        }
    }
    match out.chars().count() {
        0 => Err("Vul uw voorletters in, zoals J.A.".to_string()),
        n if n > 30 => Err("Dat zijn te veel voorletters; vul ze in zoals J.A.".to_string()),
        _ => Ok(out),
    }
}

fn surname(text: &str) -> Result<String, String> {
    let surname = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if surname.is_empty() {
        return Err("Vul uw achternaam in, met tussenvoegsel, zoals van den Berg.".to_string());
    }
    if surname.chars().count() > MAX_CHARS || surname.chars().any(char::is_control) {
        return Err(format!("Een achternaam heeft ten hoogste {MAX_CHARS} tekens, zonder regeleinden."));
    }
    Ok(surname)
}

/// Empty is allowed (not everyone has it at hand): the page keeps saying it is missing.
fn big(text: &str) -> Result<Option<BigNumber>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    BigNumber::parse(text).map(Some).map_err(|e| e.to_string())
}

/// A number at a register, empty allowed (then forgotten).
fn lidnummer(text: &str, register: &Register) -> Result<String, String> {
    let number = text.trim();
    let fine = number.chars().count() <= MAX_CHARS && !number.chars().any(char::is_control);
    if fine {
        Ok(number.to_string())
    } else {
        Err(format!("Uw nummer bij {} heeft ten hoogste {MAX_CHARS} tekens, op één regel.", register.name))
    }
}

/// The person behind invitation `id` and what their round's registers ask of them (nothing for
/// a round without registers, or a role none counts for).
pub async fn of_invitation(pool: &Pool, id: InvitationId) -> Result<Option<(ContactId, Asked)>, sqlx::Error> {
    let row: Option<(ContactId, String, crate::rounds::RoundId)> = sqlx::query_as(
        "SELECT i.contact_id, c.role, i.round_id FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some((contact, role, round)) = row else { return Ok(None) };
    let registers = super::register::of_round(pool, round).await?;
    Ok(Some((contact, Asked::for_role(&registers, &role))))
}

/// Saves what a person gave on their own link, in one transaction.
pub async fn save_own(
    db: &Db,
    contact: ContactId,
    details: &PersonDetails,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.write().await?;
    person::save(&mut tx, contact, details, now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voorletters_are_written_as_registers_write_them() {
        for typed in ["ja", "J A", "J.A.", "j.a", " J. A. "] {
            assert_eq!(initials(typed).as_deref(), Ok("J.A."), "{typed}");
        }
        assert_eq!(initials("Th. J.").as_deref(), Ok("Th.J."));
        assert_eq!(initials("ij").as_deref(), Ok("IJ."));
        assert!(initials("").is_err());
        assert!(initials("J4").unwrap_err().contains("alleen letters"));
    }

    #[test]
    fn what_the_form_does_not_ask_is_kept_and_a_bad_big_number_refused() {
        let poh = Register {
            id: "kwaliteitsregister-poh-ggz".into(),
            name: "Kwaliteitsregister POH-GGZ".into(),
            roles: vec!["poh-ggz".into()],
            asks: Asks::Lidnummer,
            format: "{nummer}".into(),
            deadline: super::super::Deadline::Days(42),
        };
        let asked = Asked::for_role(&[poh], "poh-ggz");
        let before = PersonDetails { big_number: BigNumber::parse("01234567890").ok(), ..Default::default() };
        let mut numbers = BTreeMap::new();
        numbers.insert("kwaliteitsregister-poh-ggz".to_string(), " 12345 ".to_string());
        let typed = Typed { initials: "ms", surname: " de  Vries ", big: "", numbers };
        let details = check(&typed, &asked, &before).unwrap();
        assert_eq!((details.initials.as_str(), details.surname.as_str()), ("M.S.", "de Vries"));
        assert_eq!(details.big_number, before.big_number);
        assert_eq!(details.numbers["kwaliteitsregister-poh-ggz"], "12345");
        let gaia =
            Register { id: "abc1".into(), asks: Asks::Big, roles: vec![], ..asked.registers[0].clone() };
        let typed = Typed { initials: "ms", surname: "Vries", big: "12345678", ..Default::default() };
        let errors = check(&typed, &Asked::for_role(&[gaia], "huisarts"), &before).unwrap_err();
        assert!(errors["big"].contains("11 cijfers"), "{errors:?}");
    }
}
