//! `peil user ...` (also `peil accounts ...`) and `peil audit`: accounts from the command line, for
//! the administrator who has shell access (adding the first werkgroep members, removing someone
//! who left, or an administrator who lost access or their phone), and the audit log for whoever has to answer
//! "who saw what, when".

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

use crate::accounts::{self, AccountsError, Role};
use crate::db::{Db, Pool};
use crate::settings::Settings;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account and print its one-time link to choose a password.
    Add {
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// A new password link for an existing account (a forgotten password).
    Link { email: String },
    /// List every account with its role.
    List,
    /// Remove an account: its login sessions and password link end at once. The last
    /// administrator cannot be removed.
    Remove { email: String },
    /// Turn two-step login off for an account whose phone is lost (for the last administrator,
    /// whom no other can reset on the accounts page). It logs in with its password alone and can
    /// turn it on again.
    #[command(name = "reset-2fa")]
    Reset2fa { email: String },
    /// Give an account another role; it holds from the account's next request. The last
    /// administrator cannot be made werkgroep.
    Role {
        email: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Werkgroep,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Werkgroep => Role::Werkgroep,
        }
    }
}

pub async fn run(command: UserCommand, settings: &Settings, db: &Db) -> anyhow::Result<ExitCode> {
    let base = settings.base_url.trim_end_matches('/');
    let hours = accounts::LINK_VALID_HOURS;
    match command {
        UserCommand::Add { email, role } => {
            match accounts::add_user(db, &email, role.into(), None, super::now()).await {
                Ok(path) => {
                    println!("{base}{path}");
                    eprintln!(
                        "Give this link to {}; it sets a password once and is valid for {hours} hours.",
                        email.trim()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refuse(&e),
            }
        }
        UserCommand::Link { email } => {
            match accounts::new_password_link(db, &email, None, super::now()).await {
                Ok(path) => {
                    println!("{base}{path}");
                    eprintln!(
                        "Earlier links for this account no longer work; this one is valid for {hours} hours."
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refuse(&e),
            }
        }
        UserCommand::Remove { email } => match accounts::remove(db, &email, None, super::now()).await {
            Ok(()) => {
                println!("removed {}; its login sessions and password link have ended", email.trim());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => refuse(&e),
        },
        UserCommand::Role { email, role } => {
            let role = Role::from(role);
            match accounts::change_role(db, &email, role, None, super::now()).await {
                Ok(before) if before == role => {
                    println!("{} already has the role {}; nothing changed", email.trim(), role.as_str());
                    Ok(ExitCode::SUCCESS)
                }
                Ok(before) => {
                    println!(
                        "{} is now {} (was {}); the new role holds from its next request",
                        email.trim(),
                        role.as_str(),
                        before.as_str()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refuse(&e),
            }
        }
        UserCommand::Reset2fa { email } => {
            match accounts::two_factor::reset(db, &email, None, super::now()).await {
                Ok(true) => {
                    println!(
                        "two-step login of {} is reset; it logs in with its password alone and can turn it on again",
                        email.trim()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Ok(false) => {
                    println!("{} has no two-step login; nothing changed", email.trim());
                    Ok(ExitCode::SUCCESS)
                }
                Err(accounts::TwoFactorError::Accounts(e)) => refuse(&e),
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::List => {
            let users = accounts::list_users(db.read()).await?;
            super::output::print_lines(users.iter().map(|user| {
                let password = if user.has_password { "" } else { "\t(no password yet)" };
                let two_step = if user.two_factor { "\t(two-step login)" } else { "" };
                format!("{}\t{}{password}{two_step}", user.email, user.role.as_str())
            }))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The reasons a person can act on, in English like the rest of the command line.
fn refuse(e: &AccountsError) -> anyhow::Result<ExitCode> {
    match e {
        AccountsError::BadEmail => eprintln!("That is not a valid e-mail address."),
        AccountsError::Duplicate => eprintln!("An account with this e-mail address already exists."),
        AccountsError::UnknownUser => eprintln!("There is no account with this e-mail address."),
        AccountsError::LastAdmin => eprintln!(
            "Refused: this is the last administrator, and peil must keep one. \
             Make another account an administrator first (peil user role EMAIL admin)."
        ),
        other => return Err(anyhow::anyhow!("{other}")),
    }
    Ok(ExitCode::FAILURE)
}

/// `peil audit`: the newest `limit` rows, newest first, tab-separated: time, who, what, detail,
/// and then on whose behalf, via, whose data (contact id) and whose data in words, `-` where
/// a row has none. The first four columns are as they were before the NEN 7513 fields came.
pub async fn audit(pool: &Pool, limit: i64) -> anyhow::Result<ExitCode> {
    let entries = crate::audit::list(pool, limit).await?;
    super::output::print_lines(entries.iter().map(|entry| {
        let or_dash = |field: &Option<String>| field.clone().unwrap_or_else(|| "-".to_owned());
        let contact = entry.subject_contact.map_or_else(|| "-".to_owned(), |c| c.to_string());
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{contact}\t{}",
            crate::db::Timestamp::from(entry.at),
            or_dash(&entry.actor),
            entry.action,
            entry.detail,
            or_dash(&entry.on_behalf),
            or_dash(&entry.via),
            or_dash(&entry.subject),
        )
    }))?;
    Ok(ExitCode::SUCCESS)
}
