//! `peil person export` and `peil person erase` as an administrator at a terminal uses them.

use std::io::Write;
use std::process::Stdio;

use crate::cli::Cli;
use crate::helpers::CONTACTS;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_commands_export_ask_before_erasing_erase_and_the_next_import_skips_the_address() {
    let cli = Cli::new();
    let list = cli.write("contacten.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &list]).status.success());

    let out = cli.run(&["person", "export", "Anna@Example.org"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["contact"]["name"], "Anna de Vries");

    let unknown = cli.run(&["person", "export", "niemand@example.org"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("Over dit adres heeft peil niets"), "{}", text(&unknown.stderr));

    // Without --yes it shows what would go and waits for "ja".
    let mut asking = cli.command(&["person", "erase", "anna@example.org"]);
    let mut child =
        asking.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("peil");
    child.stdin.take().expect("stdin").write_all(b"nee\n").expect("answer");
    let refused = child.wait_with_output().expect("output");
    assert!(!refused.status.success());
    assert!(text(&refused.stdout).contains("Dit wordt gewist"), "{}", text(&refused.stdout));
    assert!(text(&refused.stderr).contains("Er is niets gewist"));
    assert!(cli.run(&["person", "export", "anna@example.org"]).status.success(), "still there");

    let erased = cli.run(&["person", "erase", "anna@example.org", "--yes"]);
    assert!(erased.status.success(), "{}", text(&erased.stderr));
    let said = text(&erased.stdout);
    assert!(
        said.contains("Gewist:") && said.contains("Bewaard:") && said.contains("Anonieme antwoorden"),
        "{said}"
    );

    let again = cli.run(&["contacts", "import", &list]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("1 adres(sen) overgeslagen: gewist op verzoek"),
        "{}",
        text(&again.stdout)
    );

    let audit = text(&cli.run(&["audit"]).stdout);
    assert!(audit.contains("person_erased") && audit.contains("person_exported"), "{audit}");
    assert!(!audit.contains("anna@example.org"), "the audit log keeps no address: {audit}");
}
