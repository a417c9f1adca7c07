//! `peil round list|close|extend|invite|remind`, as a coordinator types them.

use std::process::Output;

use crate::cli::{Cli, stderr};
use crate::helpers::CONTACTS;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `peil` with the four test contacts and round 1 of `crisisdienst` for the huisartsen.
fn with_round() -> Cli {
    let cli = Cli::new();
    let csv = cli.write("contacts.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &csv]).status.success());
    let output =
        cli.run(&["round", "open", "--form", "crisisdienst", "--role", "huisarts", "--closes", "2099-12-30"]);
    assert!(output.status.success(), "{}", stderr(&output));
    cli
}

#[test]
fn a_round_is_listed_extended_reminded_and_closed_from_the_command_line() {
    let cli = with_round();
    let list = stdout(&cli.run(&["round", "list"]));
    assert!(list.starts_with("1\tcrisisdienst\tby hand\t"), "{list}");
    assert!(list.contains("\topen\tinvited 3, answered 0 (0%)\tmail pending 3, failed 0"), "{list}");

    let output = cli.run(&["round", "extend", "1", "--closes", "2099-12-31T17:00"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "round 1 is open until 31 december 2099 om 17.00 uur\n");
    // A date alone is the end of that day.
    let output = cli.run(&["round", "extend", "1", "--closes", "2100-01-01"]);
    assert_eq!(stdout(&output), "round 1 is open until 1 januari 2100 om 23.59 uur\n");
    let output = cli.run(&["round", "extend", "1", "--closes", "2099-01-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("must be later than the present one"), "{}", stderr(&output));

    let output = cli.run(&["round", "remind", "1"]);
    assert_eq!(stdout(&output), "round 1: 3 reminders queued\n", "{}", stderr(&output));

    let output = cli.run(&["round", "close", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("6 waiting mails will not be sent"), "{}", stdout(&output));
    let output = cli.run(&["round", "close", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("round 1 has closed"), "{}", stderr(&output));
    assert!(stdout(&cli.run(&["round", "list"])).contains("\tgesloten\t"));
    let audit = stdout(&cli.run(&["audit"]));
    for action in ["round_opened", "round_closed", "reminders_sent", "round_extended"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
}

#[test]
fn contacts_added_later_are_invited_from_the_command_line() {
    let cli = with_round();
    let more = format!("{CONTACTS}Eva Jansen;eva@example.org;huisarts;Praktijk Zuid;zuid;Stad\n");
    let csv = cli.write("more.csv", more.as_bytes());
    assert!(cli.run(&["contacts", "import", &csv]).status.success());

    let output = cli.run(&["round", "invite", "1"]);
    assert_eq!(
        stdout(&output),
        "round 1: 1 invited; their invitation mails are queued\n",
        "{}",
        stderr(&output)
    );
    let output = cli.run(&["round", "invite", "1"]);
    assert!(stdout(&output).contains("nobody to invite"), "{}", stdout(&output));
    let output = cli.run(&["round", "invite", "1", "--email", "niemand@example.org"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("niemand@example.org is not a contact"), "{}", stderr(&output));
    let output = cli.run(&["round", "invite", "1", "--email", "cor@example.org"]);
    assert_eq!(
        stdout(&output),
        "round 1: 1 invited; their invitation mails are queued\n",
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&cli.run(&["round", "links", "1"])).lines().count(), 5);
}
