//! Rules of the source tree that no compiler checks, checked by reading `src/` and `migrations/`:
//! one module writes each table, every write takes the write turn, and "now" comes from the clock.
//! Test code (`tests.rs` files and what follows `#[cfg(test)]`) is exempt.

use std::path::{Path, PathBuf};

use crate::helpers::repo;

/// Each table and the one top-level module of `src/` whose code may INSERT, UPDATE or DELETE it.
const OWNERS: [(&str, &str); 31] = [
    ("anonymous_pool", "responses"),
    ("audit_log", "audit"),
    ("certificates", "certificates"),
    ("contacts", "contacts"),
    ("drafts", "responses"),
    ("expired_links", "retention"),
    ("invitations", "rounds"),
    ("job_state", "schedule"),
    ("key_fingerprint", "db"),
    ("link_failures", "rounds"),
    ("login_attempts", "accounts"),
    ("login_sessions", "accounts"),
    ("outbox", "outbox"),
    ("password_links", "accounts"),
    ("pending_logins", "accounts"),
    ("recovery_codes", "accounts"),
    ("register_entries", "accreditation"),
    ("register_numbers", "contacts"),
    ("registration_attempts", "signup"),
    ("responses", "responses"),
    ("retention_runs", "retention"),
    ("round_changes", "results"),
    ("round_tallies", "retention"),
    ("rounds", "rounds"),
    ("seats", "signup"),
    ("session_notices", "signup"),
    ("sessions", "signup"),
    ("setup_tokens", "accounts"),
    ("suppressed_addresses", "persons"),
    ("two_factor", "accounts"),
    ("users", "accounts"),
];

#[test]
fn every_table_has_one_owner_and_only_its_owner_writes_it() {
    let mut created = tables_in(&repo("migrations/sqlite"));
    created.sort();
    let mut owned: Vec<String> = OWNERS.iter().map(|(t, _)| t.to_string()).collect();
    owned.sort();
    assert_eq!(created, owned, "a table without an owner in OWNERS (or an owner of no table)");

    let mut strays = Vec::new();
    for (file, code) in production_sources() {
        for table in written_tables(&code) {
            let owner = OWNERS.iter().find(|(t, _)| *t == table).map(|(_, m)| *m);
            if owner != Some(top_module(&file).as_str()) {
                strays.push(format!("{} writes {table} (owner: {owner:?})", file.display()));
            }
        }
    }
    assert!(strays.is_empty(), "writes outside the owning module:\n{}", strays.join("\n"));
}

#[test]
fn every_transaction_is_begun_by_the_db_handle_which_takes_the_write_turn() {
    let strays: Vec<_> = production_sources()
        .into_iter()
        .filter(|(file, code)| !file.ends_with("db/handle.rs") && begins_a_transaction(code))
        .map(|(file, _)| file.display().to_string())
        .collect();
    assert!(strays.is_empty(), "transactions begun around `Db::write`: {strays:?}");
}

#[test]
fn nothing_but_the_clock_reads_the_system_time() {
    let strays: Vec<_> = production_sources()
        .into_iter()
        .filter(|(file, code)| !file.ends_with("time/clock.rs") && code.contains("Utc::now()"))
        .map(|(file, _)| file.display().to_string())
        .collect();
    assert!(strays.is_empty(), "`Utc::now()` outside src/time/clock.rs: {strays:?}");
}

#[test]
fn the_checks_above_see_a_write_when_there_is_one() {
    let code = r#"sqlx::query("UPDATE outbox SET status = 'sent' WHERE id = $1");
        "INSERT INTO seats (session_id) VALUES ($1)"; "DELETE FROM drafts WHERE x"
        "SELECT 1 FROM rounds FOR UPDATE SKIP LOCKED"; "ON CONFLICT (id) DO UPDATE SET a = 1""#;
    assert_eq!(written_tables(code), ["outbox", "seats", "drafts"]);
    assert_eq!(top_module(Path::new("signup/seats.rs")), "signup");
    assert_eq!(top_module(Path::new("audit.rs")), "audit");
    assert_eq!(without_tests("a\n#[cfg(test)]\nmod tests { UPDATE x SET }"), "a\n");
}

fn begins_a_transaction(code: &str) -> bool {
    [".begin()", "begin_with(", "Connection::begin("].iter().any(|call| code.contains(call))
}

/// `src/` files relative to `src/`, with their code up to the first `#[cfg(test)]`.
fn production_sources() -> Vec<(PathBuf, String)> {
    let root = repo("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|f| {
            let code = std::fs::read_to_string(&f).expect("a source file");
            (f.strip_prefix(&root).expect("under src").to_path_buf(), without_tests(&code).to_owned())
        })
        .collect()
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

fn without_tests(code: &str) -> &str {
    code.find("#[cfg(test)]").map_or(code, |at| &code[..at])
}

/// `signup/seats.rs` → `signup`; `audit.rs` → `audit`.
fn top_module(file: &Path) -> String {
    let first = file.components().next().expect("a path").as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The tables named by `INSERT INTO t`, `UPDATE t SET` and `DELETE FROM t`, in order.
fn written_tables(code: &str) -> Vec<String> {
    let words: Vec<&str> = code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).collect();
    let words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
    let is_table = |w: &str| w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    let mut tables = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        let table = match pair {
            ["INSERT", "INTO"] | ["DELETE", "FROM"] => words.get(i + 2).copied(),
            ["UPDATE", t] if words.get(i + 2) == Some(&"SET") => Some(*t),
            _ => None,
        };
        // `temp.x`: a connection's own temporary table, which no other module sees.
        if let Some(t) = table.filter(|t| is_table(t) && *t != "temp") {
            tables.push(t.to_owned());
        }
    }
    tables
}

fn tables_in(migrations: &Path) -> Vec<String> {
    let mut tables = Vec::new();
    for entry in std::fs::read_dir(migrations).expect("migrations").flatten() {
        let sql = std::fs::read_to_string(entry.path()).expect("a migration");
        let words: Vec<&str> = sql.split_whitespace().collect();
        for (i, pair) in words.windows(2).enumerate() {
            if pair == ["CREATE", "TABLE"] {
                let name = words[i + 2..].iter().find(|w| !matches!(**w, "IF" | "NOT" | "EXISTS"));
                tables.extend(name.map(|n| n.trim_end_matches('(').to_owned()));
            }
        }
    }
    tables
}
