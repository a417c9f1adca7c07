//! What a form asks that says who someone is, and the settings the statement names: plain
//! functions, without the app.

use peil::organisation::{Organisation, OrganisationError, RawOrganisation};
use peil::privacy::asked::Asked;

fn form(questions: &str) -> peil::forms::Form {
    let text = format!("title = \"T\"\npurpose = \"P\"\n{questions}");
    let lists = peil::forms::lists_from(&[]).expect("no lists");
    peil::forms::check_text("forms/t.toml", &text, &lists).expect("a valid form")
}

#[test]
fn an_address_a_name_and_a_big_number_are_named_and_an_opinion_is_free_text() {
    let asked = Asked::of(&form(
        "[[questions]]\nid = \"mail\"\ntype = \"email\"\nlabel = \"Adres\"\n\
         [[questions]]\nid = \"wie\"\ntype = \"text\"\nlabel = \"Uw naam\"\n\
         [[questions]]\nid = \"big\"\ntype = \"text\"\nlabel = \"Registratie\"\n\
         [[questions]]\nid = \"mening\"\ntype = \"textarea\"\nlabel = \"Opmerkingen\"\n\
         [[questions]]\nid = \"ok\"\ntype = \"yesno\"\nlabel = \"Tevreden?\"\n",
    ));
    assert_eq!(asked.identifying, ["uw e-mailadres", "uw naam of die van uw praktijk", "uw BIG-nummer"]);
    assert!(asked.free_text);
    let opinion = &asked.questions[3];
    assert_eq!((opinion.identifies, opinion.free_text), (None, true));
    assert_eq!((asked.questions[4].identifies, asked.questions[4].free_text), (None, false));
}

#[test]
fn a_form_of_choices_only_asks_nothing_identifying_and_no_free_text() {
    let asked = Asked::of(&form("[[questions]]\nid = \"ok\"\ntype = \"yesno\"\nlabel = \"Tevreden?\"\n"));
    assert!(asked.identifying.is_empty() && !asked.free_text);
}

#[test]
fn a_privacy_contact_is_checked_like_the_organisations_address() {
    let with = |value: &str| {
        Organisation::parse(RawOrganisation {
            privacy_contact: Some(value.into()),
            ..RawOrganisation::default()
        })
    };
    assert_eq!(with("fg@").expect_err("no domain"), OrganisationError::PrivacyContact("fg@".into()));
    let organisation = with(" FG@HANoord.nl ").expect("valid");
    assert_eq!(organisation.privacy_contact().map(|e| e.as_str()), Some("fg@hanoord.nl"));
}

#[test]
fn a_form_without_a_purpose_is_warned_at_its_first_line_and_still_passes() {
    let lists = peil::forms::lists_from(&[]).expect("no lists");
    let question = "[[questions]]\nid = \"ok\"\ntype = \"yesno\"\nlabel = \"Tevreden?\"\n";
    for text in [format!("title = \"T\"\n{question}"), format!("title = \"T\"\npurpose = \" \"\n{question}")]
    {
        let (form, warnings) =
            peil::forms::check_text_warned("forms/t.toml", &text, &lists).expect("it passes");
        assert!(form.purpose.is_none());
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("forms/t.toml:1:1: warning: the form has no `purpose`"),
            "{warnings:?}"
        );
    }
    let (form, warnings) = peil::forms::check_text_warned(
        "forms/t.toml",
        &format!("title = \"T\"\npurpose = \"Waarom\"\n{question}"),
        &lists,
    )
    .expect("it passes");
    assert_eq!(form.purpose.map(|p| p.nl), Some("Waarom".to_owned()));
    assert!(warnings.is_empty());
}
