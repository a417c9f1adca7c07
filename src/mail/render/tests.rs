//! The shipped mail templates, rendered: Dutch words, escaped HTML, the links each mail needs.
use super::*;

#[test]
fn line_breaks_and_controls_become_single_spaces() {
    assert_eq!(one_line("Anna\r\nBcc: evil@example.org"), "Anna Bcc: evil@example.org");
    assert_eq!(one_line("  a\t\u{0}b  "), "a b");
}

#[test]
fn a_name_is_isolated_and_a_stray_pop_in_it_cannot_end_the_isolate_early() {
    assert_eq!(isolated_name("\u{202e}fdp.exe Anna"), "\u{2068}\u{202e}fdp.exe Anna\u{2069}");
    assert_eq!(isolated_name("\u{2069}\u{202e}Anna"), "\u{2068}\u{202e}Anna\u{2069}");
    assert_eq!(isolated_name("\u{2067}Anna"), "\u{2068}\u{2067}Anna\u{2069}\u{2069}");
    assert_eq!(isolated_name("Anna <b>\r\n"), "Anna <b>", "left to right only: nothing to isolate");
    assert_eq!(isolated_name("سارة Anna"), "\u{2068}سارة Anna\u{2069}");
    assert_eq!(isolated_name(" \r\n"), "", "no name stays no name: the greeting says \"collega\"");
}

/// No `[organisation]` in the settings: pages and mails say "de organisatie".
static UNKNOWN: std::sync::LazyLock<Contact> = std::sync::LazyLock::new(|| Organisation::default().contact());

fn shipped() -> Templates {
    Templates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).expect("templates")
}

fn letter(kind: MailKind) -> Letter<'static> {
    Letter {
        kind,
        name: "Anna <b>",
        title: "Zorg & welzijn",
        closes_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 7, 23, 0, 0).unwrap(),
        anonymous: false,
        signup: false,
        link: "https://peil.example.org/r/abc",
        unsubscribe: "https://peil.example.org/r/abc/afmelden",
        privacy: "https://peil.example.org/privacy/crisisdienst?ronde=anoniem",
        sender: "GGZ-werkgroep",
        contact: &UNKNOWN,
        seat: None,
        now: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 9, 0, 0).unwrap(),
        notice: None,
    }
}

#[test]
fn a_sign_up_rounds_invitation_and_reminder_ask_to_choose_a_session_not_for_an_opinion() {
    for kind in [MailKind::Invitation, MailKind::Reminder] {
        let mail = shipped().render(&Letter { signup: true, ..letter(kind) }, None).unwrap();
        for part in [&mail.text, &mail.html] {
            assert!(!part.contains("mening") && !part.contains("antwoorden"), "{kind:?}: {part}");
            assert!(part.contains("bijeenkomst"), "{kind:?}: {part}");
            assert!(part.contains("aanmelden tot"), "{kind:?}: {part}");
        }
        assert!(mail.html.contains("Kies een bijeenkomst"), "{}", mail.html);
        let survey = shipped().render(&letter(kind), None).unwrap();
        assert!(survey.html.contains("Vul de vragenlijst in"), "a survey's mail is unchanged");
    }
}

#[test]
fn html_is_escaped_and_plain_text_is_not() {
    let texts =
        MailTexts { invitation_text: Some("Zie <script>x</script>\nregel 2".into()), ..Default::default() };
    let mail = shipped().render(&letter(MailKind::Invitation), Some(&texts)).unwrap();
    assert_eq!(mail.subject, "Uitnodiging: Zorg & welzijn");
    assert!(mail.text.starts_with("Beste Anna <b>,\n\nZie <script>x</script>\nregel 2\n"), "{}", mail.text);
    assert!(mail.text.contains("tot 7 december 2026 om 23.59 uur"), "{}", mail.text);
    assert!(mail.html.contains("<p>Zie &lt;script&gt;x&lt;&#x2F;script&gt;<br>regel 2</p>"), "{}", mail.html);
    assert!(mail.html.contains("Beste Anna &lt;b&gt;,") && !mail.html.contains("<script>"), "{}", mail.html);
}

#[test]
fn every_round_mail_names_the_round_and_the_unsubscribe_link() {
    for kind in [MailKind::Invitation, MailKind::Reminder, MailKind::Confirmation] {
        let mail = shipped().render(&letter(kind), None).unwrap();
        assert!(mail.subject.ends_with("Zorg & welzijn"), "{kind:?}: {}", mail.subject);
        assert!(mail.text.contains("https://peil.example.org/r/abc/afmelden"), "{kind:?}");
        assert!(mail.html.contains("Zorg &amp; welzijn"), "{kind:?}");
    }
}

#[test]
fn a_job_text_splits_into_paragraphs_of_lines() {
    let text = "Eerste regel\ntweede regel\n\n\nNieuwe alinea\n";
    assert_eq!(paragraphs(text), vec![vec!["Eerste regel", "tweede regel"], vec!["Nieuwe alinea"]]);
}

mod seats {
    use super::*;
    use crate::signup::SeatId;

    const PAGE: &str = "https://peil.example.org/r/abc/plaats/7";
    const WHEN: &str = "dinsdag 9 maart 2027, 13.30\u{2013}15.30 uur";

    fn amsterdam(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        let local =
            chrono::TimeZone::with_ymd_and_hms(&chrono_tz::Europe::Amsterdam, 2027, 3, day, hour, minute, 0);
        local.unwrap().with_timezone(&Utc)
    }

    fn facts(status: SeatStatus) -> SeatFacts {
        SeatFacts {
            id: SeatId(7),
            status,
            position: (status == SeatStatus::Waiting).then_some(2),
            session: "Intervisie <script>x</script>".into(),
            starts_at: amsterdam(9, 13, 30),
            ends_at: amsterdam(9, 15, 30),
            place: "Huisartsenpost West, zaal 2".into(),
            online_url: String::new(),
            leader: "K. de Graaf".into(),
            cancelled: false,
            revision: 1,
            cancel_until: amsterdam(8, 13, 30),
            published: true,
        }
    }

    /// The status a seat has when a mail of `kind` goes out about it.
    fn status_for(kind: MailKind) -> SeatStatus {
        match kind {
            MailKind::SeatWaiting => SeatStatus::Waiting,
            MailKind::SeatCancelled | MailKind::SessionCancelled | MailKind::SeatMoved => {
                SeatStatus::Cancelled
            }
            _ => SeatStatus::Confirmed,
        }
    }

    fn render(kind: MailKind, facts: &SeatFacts, now: DateTime<Utc>) -> Rendered {
        let calendar = !matches!(kind, MailKind::SeatWaiting | MailKind::SessionReminder);
        let seat = SeatLetter { facts, page: PAGE, calendar };
        shipped().render(&Letter { seat: Some(seat), now, ..letter(kind) }, None).unwrap()
    }

    fn seat_kinds() -> impl Iterator<Item = MailKind> {
        MailKind::ALL.into_iter().filter(|k| k.is_about_a_seat())
    }

    #[test]
    fn every_seat_mail_names_its_session_and_its_time_in_dutch() {
        for kind in seat_kinds() {
            let mail = render(kind, &facts(status_for(kind)), amsterdam(1, 9, 0));
            assert!(mail.subject.ends_with("Intervisie <script>x</script>"), "{kind:?}: {}", mail.subject);
            assert!(mail.text.starts_with("Beste Anna <b>,\n\n"), "{kind:?}: {}", mail.text);
            assert!(mail.text.contains("\"Intervisie <script>x</script>\""), "{kind:?}: {}", mail.text);
            assert!(mail.text.contains(WHEN), "{kind:?}: {}", mail.text);
            assert!(mail.html.contains(WHEN), "{kind:?}: {}", mail.html);
            assert!(mail.text.contains("Met vriendelijke groet,\nGGZ-werkgroep"), "{kind:?}");
        }
    }

    #[test]
    fn the_session_title_is_escaped_in_html_and_never_appears_raw() {
        for kind in seat_kinds() {
            let mail = render(kind, &facts(status_for(kind)), amsterdam(1, 9, 0));
            assert!(!mail.html.contains("<script>"), "{kind:?}: {}", mail.html);
            assert!(mail.html.contains("Intervisie &lt;script&gt;x&lt;&#x2F;script&gt;"), "{kind:?}");
            assert!(mail.html.contains("<title>Intervisie &lt;script&gt;"), "{kind:?}");
        }
    }

    #[test]
    fn every_mail_about_a_seat_still_held_links_the_seat_page_to_cancel_it() {
        let html_page = PAGE.replace('/', "&#x2F;");
        // A certificate comes after the session: nothing left to cancel.
        let held = |k: &MailKind| status_for(*k) != SeatStatus::Cancelled && *k != MailKind::Certificate;
        for kind in seat_kinds().filter(held) {
            let mail = render(kind, &facts(status_for(kind)), amsterdam(1, 9, 0));
            assert!(mail.text.contains(PAGE), "{kind:?}: {}", mail.text);
            assert!(mail.html.contains(&format!("href=\"{html_page}\"")), "{kind:?}: {}", mail.html);
            assert!(mail.text.contains("Afmelden kan tot 8 maart 2027 om 13.30 uur"), "{kind:?}");
        }
    }

    #[test]
    fn mails_about_a_seat_have_no_unsubscribe_footer() {
        for kind in seat_kinds() {
            let mail = render(kind, &facts(status_for(kind)), amsterdam(1, 9, 0));
            assert!(!mail.text.contains("/afmelden") && !mail.html.contains("&#x2F;afmelden"), "{kind:?}");
        }
    }

    #[test]
    fn a_confirmation_gives_place_leader_and_says_the_calendar_file_is_attached() {
        let mail = render(MailKind::SeatConfirmed, &facts(SeatStatus::Confirmed), amsterdam(1, 9, 0));
        assert_eq!(mail.subject, "U bent aangemeld: Intervisie <script>x</script>");
        for line in ["Waar: Huisartsenpost West, zaal 2", "Gespreksleider: K. de Graaf"] {
            assert!(mail.text.contains(line), "{line}: {}", mail.text);
        }
        assert!(mail.text.contains("Het agenda-bestand zit als bijlage bij deze e-mail"), "{}", mail.text);
        assert!(mail.text.contains("https://peil.example.org/r/abc\n"), "the personal page: {}", mail.text);
    }

    #[test]
    fn an_online_link_is_a_link_in_html_only_when_it_is_http() {
        let mut online = facts(SeatStatus::Confirmed);
        online.online_url = "https://meet.example.org/abc".into();
        let mail = render(MailKind::SeatConfirmed, &online, amsterdam(1, 9, 0));
        assert!(mail.text.contains("Online: https://meet.example.org/abc"), "{}", mail.text);
        assert!(
            mail.html.contains("<a href=\"https:&#x2F;&#x2F;meet.example.org&#x2F;abc\">"),
            "{}",
            mail.html
        );
        online.online_url = "javascript:alert(1)".into();
        let mail = render(MailKind::SeatConfirmed, &online, amsterdam(1, 9, 0));
        assert!(!mail.html.contains("href=\"javascript"), "{}", mail.html);
    }

    #[test]
    fn the_waiting_list_mail_gives_the_place_in_the_queue() {
        let mail = render(MailKind::SeatWaiting, &facts(SeatStatus::Waiting), amsterdam(1, 9, 0));
        assert_eq!(mail.subject, "Wachtlijst: Intervisie <script>x</script>");
        assert!(mail.text.contains("op plaats 2"), "{}", mail.text);
        assert!(mail.html.contains("op plaats 2"), "{}", mail.html);
        // A waiting person can switch to a session with a seat from their link (issue 24).
        assert!(mail.text.contains("in één stap daarheen overstappen"), "{}", mail.text);
    }

    #[test]
    fn a_promotion_and_a_change_say_what_happened_in_the_subject() {
        let confirmed = facts(SeatStatus::Confirmed);
        let promoted = render(MailKind::SeatPromoted, &confirmed, amsterdam(1, 9, 0));
        assert_eq!(
            promoted.subject,
            "Er is een plaats vrijgekomen: u bent aangemeld voor Intervisie <script>x</script>"
        );
        let changed = render(MailKind::SessionChanged, &confirmed, amsterdam(1, 9, 0));
        assert_eq!(changed.subject, "Gewijzigd: Intervisie <script>x</script>");
        assert!(changed.text.contains("bijgewerkte agenda-bestand"), "{}", changed.text);
    }

    #[test]
    fn cancellations_apologise_or_confirm_and_mention_the_calendar_entry() {
        let cancelled = facts(SeatStatus::Cancelled);
        let mine = render(MailKind::SeatCancelled, &cancelled, amsterdam(1, 9, 0));
        assert_eq!(mine.subject, "Afgemeld: Intervisie <script>x</script>");
        let theirs = render(MailKind::SessionCancelled, &cancelled, amsterdam(1, 9, 0));
        assert_eq!(theirs.subject, "Gaat niet door: Intervisie <script>x</script>");
        assert!(theirs.text.contains("excuses"), "{}", theirs.text);
        for mail in [&mine, &theirs] {
            assert!(mail.text.contains("uit uw agenda"), "{}", mail.text);
            assert!(!mail.text.contains(PAGE), "nothing left to cancel: {}", mail.text);
        }
    }

    #[test]
    fn a_reminder_says_tomorrow_the_day_before_and_the_date_earlier() {
        let confirmed = facts(SeatStatus::Confirmed);
        let mail = render(MailKind::SessionReminder, &confirmed, amsterdam(8, 10, 0));
        assert_eq!(mail.subject, "Morgen: Intervisie <script>x</script>");
        let mail = render(MailKind::SessionReminder, &confirmed, amsterdam(6, 10, 0));
        assert_eq!(mail.subject, "Op dinsdag 9 maart 2027: Intervisie <script>x</script>");
    }

    #[test]
    fn a_reminder_after_the_deadline_offers_no_cancel_link() {
        let mail = render(MailKind::SessionReminder, &facts(SeatStatus::Confirmed), amsterdam(8, 20, 0));
        assert!(!mail.text.contains(PAGE) && !mail.text.contains("Afmelden kan tot"), "{}", mail.text);
        assert!(mail.text.contains("zo snel mogelijk"), "{}", mail.text);
    }
}

#[test]
fn a_registration_asks_to_confirm_by_the_link_and_holds_no_seat_yet() {
    let mail = shipped().render(&Letter { signup: true, ..letter(MailKind::Registration) }, None).unwrap();
    assert_eq!(mail.subject, "Bevestig uw aanmelding voor Zorg & welzijn");
    assert!(mail.text.contains("https://peil.example.org/r/abc\n"), "{}", mail.text);
    assert!(mail.text.contains("nog geen plaats"), "{}", mail.text);
    assert!(mail.text.contains("negeren"), "{}", mail.text);
    assert!(mail.html.contains("Zorg &amp; welzijn") && !mail.html.contains("/afmelden"), "{}", mail.html);
}

#[test]
fn a_survey_s_open_link_mails_a_link_to_the_form_and_says_the_answers_are_not_anonymous() {
    let mail = shipped().render(&letter(MailKind::Registration), None).unwrap();
    assert_eq!(mail.subject, "Uw persoonlijke link voor Zorg & welzijn");
    assert!(mail.text.contains("https://peil.example.org/r/abc\n"), "{}", mail.text);
    assert!(
        mail.text.contains("vult u het formulier in") && mail.text.contains("niet anoniem"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("bijeenkomst") && !mail.html.contains("bijeenkomst"), "{}", mail.html);
    assert!(mail.html.contains("Formulier invullen"), "{}", mail.html);
}

mod organisation {
    use super::*;
    use crate::organisation::RawOrganisation;

    const LINK_HTML: &str = "https:&#x2F;&#x2F;peil.example.org&#x2F;r&#x2F;abc";

    fn noord() -> Organisation {
        Organisation::parse(RawOrganisation {
            name: Some("Huisartsen Noord".into()),
            email: Some("info@hanoord.nl".into()),
            phone: Some("020 123 4567".into()),
            privacy_contact: None,
        })
        .expect("a valid organisation")
    }

    fn mail_from() -> Mailbox {
        "GGZ-werkgroep <peil@example.org>".parse().expect("mail_from")
    }

    /// Every kind of mail as `organisation` would send it: signed as the worker signs it.
    fn every_mail(organisation: &Organisation) -> Vec<(MailKind, Rendered)> {
        let sender = signature(&from_mailbox(&mail_from(), organisation));
        let contact = organisation.contact();
        let facts = seats_facts();
        MailKind::ALL
            .into_iter()
            .map(|kind| {
                let seat = kind.is_about_a_seat().then_some(SeatLetter {
                    facts: &facts,
                    page: "https://peil.example.org/r/abc/plaats/7",
                    calendar: true,
                });
                let letter = Letter { sender: &sender, contact: &contact, seat, ..letter(kind) };
                (kind, shipped().render(&letter, None).expect("renders"))
            })
            .collect()
    }

    /// A confirmed seat whose cancel deadline has passed, so the mails fall back on "let the
    /// organisation know".
    fn seats_facts() -> SeatFacts {
        let at = |day| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, day, 12, 0, 0).unwrap();
        SeatFacts {
            id: crate::signup::SeatId(7),
            status: SeatStatus::Confirmed,
            position: None,
            session: "Intervisie".into(),
            starts_at: at(30),
            ends_at: at(30) + chrono::Duration::hours(2),
            place: "Zaal 2".into(),
            online_url: String::new(),
            leader: "K. de Graaf".into(),
            cancelled: false,
            revision: 0,
            cancel_until: at(29),
            published: true,
        }
    }

    #[test]
    fn the_sender_is_named_after_the_organisation_at_mail_froms_address() {
        let from = from_mailbox(&mail_from(), &noord());
        assert_eq!(from.name.as_deref(), Some("Huisartsen Noord"));
        assert_eq!(from.email.to_string(), "peil@example.org");
        assert_eq!(signature(&from), "Huisartsen Noord");

        let envelope = crate::mail::message::Envelope {
            from: &from,
            to: "anna@example.org".parse().expect("to"),
            message_id: "<1@example.org>".into(),
            date: letter(MailKind::Invitation).now,
            unsubscribe: None,
        };
        let rendered = shipped().render(&letter(MailKind::Invitation), None).expect("renders");
        let message = crate::mail::message::build(envelope, rendered, None).expect("a message");
        let headers = String::from_utf8(message.formatted()).expect("utf-8");
        assert!(headers.contains("From: \"Huisartsen Noord\" <peil@example.org>\r\n"), "{headers}");
    }

    #[test]
    fn without_an_organisation_name_the_sender_and_signature_stay_as_mail_from_says() {
        let from = from_mailbox(&mail_from(), &Organisation::default());
        assert_eq!(from, mail_from());
        assert_eq!(signature(&from), "GGZ-werkgroep");
        let bare: Mailbox = "peil@example.org".parse().expect("an address alone");
        assert_eq!(signature(&from_mailbox(&bare, &Organisation::default())), "peil@example.org");
    }

    #[test]
    fn every_mail_is_signed_by_the_organisation_and_says_how_to_reach_it() {
        for (kind, mail) in every_mail(&noord()) {
            assert!(
                mail.text.contains("Met vriendelijke groet,\nHuisartsen Noord\n"),
                "{kind:?}: {}",
                mail.text
            );
            assert!(
                mail.text
                    .contains("Vragen? Neem contact op met Huisartsen Noord: info@hanoord.nl, 020 123 4567."),
                "{kind:?}: {}",
                mail.text
            );
            assert!(
                mail.html.contains("Met vriendelijke groet,<br>Huisartsen Noord</p>"),
                "{kind:?}: {}",
                mail.html
            );
            assert!(mail.html.contains("<a href=\"mailto:info@hanoord.nl\">info@hanoord.nl</a>"), "{kind:?}");
            assert!(mail.html.contains("<a href=\"tel:+31201234567\">020 123 4567</a>"), "{kind:?}");
            assert!(!mail.subject.contains("peil"), "{kind:?}: {}", mail.subject);
            assert!(!mail.text.contains("de organisatie"), "{kind:?}: {}", mail.text);
        }
    }

    #[test]
    fn without_an_address_or_number_no_contact_line_is_written_and_the_organisation_is_called_so() {
        for (kind, mail) in every_mail(&Organisation::default()) {
            assert!(mail.text.contains("Met vriendelijke groet,\nGGZ-werkgroep"), "{kind:?}: {}", mail.text);
            assert!(
                !mail.text.contains("Vragen?") && !mail.html.contains("mailto:"),
                "{kind:?}: {}",
                mail.text
            );
        }
        let seat =
            every_mail(&Organisation::default()).into_iter().find(|(k, _)| *k == MailKind::SeatConfirmed);
        let (_, mail) = seat.expect("a seat confirmation");
        assert!(mail.text.contains("Laat het de organisatie of de gespreksleider"), "{}", mail.text);
    }

    #[test]
    fn a_mail_with_a_personal_link_has_a_button_for_it_and_the_raw_link_wraps_below() {
        for kind in [MailKind::Invitation, MailKind::Reminder, MailKind::Registration] {
            let mail = shipped().render(&letter(kind), None).expect("renders");
            let button = mail.html.find("<table role=\"presentation\"").expect("a table-based button");
            let anchor = &mail.html[button..];
            assert!(
                anchor.contains(&format!("<a class=\"button\" href=\"{LINK_HTML}\"")),
                "{kind:?}: {}",
                mail.html
            );
            assert!(anchor.contains("background-color: #0b4f6c; color: #ffffff;"), "{kind:?}: {}", mail.html);
            let raw = "<p class=\"raw-link\" style=\"margin-top: 0; word-break: break-all; overflow-wrap: anywhere;";
            let raw_at = mail.html.find(raw).unwrap_or_else(|| panic!("{kind:?}: {}", mail.html));
            assert!(raw_at > button, "{kind:?}: the raw link comes below the button");
            assert!(mail.html[raw_at..].contains(&format!(">{LINK_HTML}</p>")), "{kind:?}: {}", mail.html);
            assert!(
                mail.text.contains("\nhttps://peil.example.org/r/abc\n"),
                "{kind:?}: the link on its own line"
            );
        }
    }

    #[test]
    fn every_html_mail_is_fluid_up_to_600_pixels_and_fits_a_phone() {
        for (kind, mail) in every_mail(&noord()) {
            assert!(mail.html.contains("max-width: 600px; width: 100%;"), "{kind:?}: {}", mail.html);
            assert!(
                mail.html
                    .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            );
            assert!(mail.html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"), "{kind:?}");
        }
    }
}
