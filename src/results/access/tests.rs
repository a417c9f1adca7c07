//! The reader's scope, the closing moment and the audit detail of `results::access`.

use chrono::{Duration, TimeZone, Utc};

use super::*;

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[test]
fn a_per_wijk_round_is_always_read_as_its_own_wijk() {
    assert_eq!(scope("noord", some("zuid"), None), Filter { wijk: some("noord"), role: None });
    assert_eq!(
        scope("noord", None, some("huisarts")),
        Filter { wijk: some("noord"), role: some("huisarts") }
    );
}

#[test]
fn a_round_for_everyone_is_read_as_asked_and_a_blank_choice_is_none() {
    assert_eq!(scope("", some("zuid"), some("poh")), Filter { wijk: some("zuid"), role: some("poh") });
    assert_eq!(scope("", some("  "), some("")), Filter::default());
    assert_eq!(scope("", None, None), Filter::default());
}

#[test]
fn a_round_is_closed_from_its_closing_moment_on() {
    let closes = Utc.with_ymd_and_hms(2026, 10, 22, 7, 0, 0).unwrap();
    assert!(!closed(closes, closes - Duration::seconds(1)));
    assert!(closed(closes, closes));
    assert!(closed(closes, closes + Duration::days(30)));
}

#[test]
fn the_audit_detail_names_the_round_and_what_was_read() {
    let member = Reader::Member { actor: Actor::web("lid@example.org", false, None), admin: false };
    let file = Read::File { name: "antwoorden", extension: "csv", filter: None };
    assert_eq!(detail(RoundId(7), &member, file), "ronde 7, antwoorden.csv");
    assert_eq!(detail(RoundId(7), &Reader::Cli, file), "ronde 7 (peil export)");
    let everyone = Filter::default();
    let text = Read::FreeText { question: "opmerking", filter: &everyone };
    assert_eq!(detail(RoundId(7), &member, text), "ronde 7, vraag opmerking");
}

#[test]
fn the_audit_detail_names_the_group_read_so_differencing_shows() {
    let member = Reader::Member { actor: Actor::web("lid@example.org", false, None), admin: false };
    let noord = Filter { wijk: some("noord"), role: None };
    let both = Filter { wijk: some("noord"), role: some("huisarts") };
    assert_eq!(detail(RoundId(7), &member, Read::Results { filter: &noord }), "ronde 7, wijk noord");
    let text = Read::FreeText { question: "opmerking", filter: &both };
    assert_eq!(detail(RoundId(7), &member, text), "ronde 7, vraag opmerking, wijk noord, rol huisarts");
    let file = Read::File { name: "samenvatting", extension: "xlsx", filter: Some(&noord) };
    assert_eq!(detail(RoundId(7), &member, file), "ronde 7, samenvatting.xlsx, wijk noord");
    let role = Filter { wijk: None, role: some("poh-ggz") };
    assert_eq!(detail(RoundId(7), &member, Read::Results { filter: &role }), "ronde 7, rol poh-ggz");
}

#[test]
fn only_administrators_see_who_answered() {
    let admin = Reader::Member { actor: Actor::web("beheer@example.org", true, None), admin: true };
    let member = Reader::Member { actor: Actor::web("lid@example.org", false, None), admin: false };
    assert_eq!(admin.audience(), Audience::Admin);
    assert_eq!(Reader::Cli.audience(), Audience::Admin);
    assert_eq!(member.audience(), Audience::Werkgroep);
    assert_eq!(Reader::Cli.actor(), Actor::cli());
    assert_eq!(member.actor().email.as_deref(), Some("lid@example.org"));
}
