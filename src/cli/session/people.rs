//! `peil session move|enrol|mail`: the people of a session, changed on the same functions as the
//! coordinator's page `/beheer/bijeenkomsten/<id>` (`signup::moving`, `signup::notices`).
//! Audited with no actor, as "opdrachtregel".

use crate::db::Db;
use crate::settings::Secret;
use crate::signup::notices::{self, Notice};
use crate::signup::{SeatId, SeatStatus, SessionId, moving};

/// "een plaats" or "de wachtlijst (plaats 2)".
fn place(status: SeatStatus, position: Option<u32>) -> String {
    match status {
        SeatStatus::Waiting => format!("de wachtlijst (plaats {})", position.unwrap_or(1)),
        _ => "een plaats".to_string(),
    }
}

pub(super) async fn move_seat(db: &Db, seat: SeatId, to: SessionId) -> anyhow::Result<()> {
    let moved = moving::move_to(db, seat, to, super::super::now(), None).await?;
    println!(
        "plaats {seat} verplaatst van bijeenkomst {} naar bijeenkomst {to}: {}",
        moved.from,
        place(moved.taken.status, moved.taken.position)
    );
    if let Some(promoted) = moved.promoted {
        println!("plaats {promoted} schuift door van de wachtlijst in bijeenkomst {}", moved.from);
    }
    println!("de mails staan klaar om te versturen");
    Ok(())
}

pub(super) async fn enrol(db: &Db, secret: &Secret, session: SessionId, email: &str) -> anyhow::Result<()> {
    let contact = moving::contact_by_email(db.read(), email).await?;
    let taken = moving::enrol(db, secret, session, &contact, super::super::now(), None).await?;
    println!(
        "{} <{}> ingeschreven bij bijeenkomst {session}: {}",
        contact.name,
        contact.email,
        place(taken.status, taken.position)
    );
    Ok(())
}

pub(super) async fn mail(
    db: &Db,
    session: SessionId,
    subject: &str,
    text: &str,
    waiting: bool,
) -> anyhow::Result<()> {
    // Each run is its own message: the key only keeps one run from sending twice.
    let key = crate::crypto::random_b64(18);
    let notice = Notice { subject, body: text, with_waiting: waiting, form_key: &key };
    let queued = notices::send(db, session, &notice, super::super::now(), None).await?;
    println!("bericht aan bijeenkomst {session}: {queued} mails staan klaar om te versturen");
    Ok(())
}
