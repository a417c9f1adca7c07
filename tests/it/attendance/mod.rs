//! A session's attendance in the browser's pages: ticking who came on the tablet page, the
//! presentielijst as page, PDF (read back with `pdftotext`) and XLSX (read with calamine), the
//! register-ready lines with who has no number, and the registers still owed on `/beheer`.

mod lists;
mod register;
mod tablet;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use peil::accounts::Role;
use peil::accreditation::{Asks, BigNumber, Deadline, PersonDetails, Register, person};
use peil::contacts::ContactId;
use peil::organisation::{Organisation, RawOrganisation};

use crate::helpers::{Session, TestApp};
use crate::signup::{link_paths, open_signup, poh_contacts, session, sign_up};

pub const ORGANISATION: &str = "Huisartsen Regio West";

/// The registers of the round: GAIA by BIG number for every role, the Kwaliteitsregister POH-GGZ
/// by lidnummer for POH-GGZ (6 weeks to enter).
pub fn registers() -> Vec<Register> {
    vec![
        Register {
            id: "abc1".into(),
            name: "ABC1 (GAIA)".into(),
            roles: vec![],
            asks: Asks::Big,
            format: "BIG-{nummer}".into(),
            deadline: Deadline::Months(2),
        },
        Register {
            id: "kwaliteitsregister-poh-ggz".into(),
            name: "Kwaliteitsregister POH-GGZ".into(),
            roles: vec!["poh-ggz".into()],
            asks: Asks::Lidnummer,
            format: "{nummer}".into(),
            deadline: Deadline::Days(42),
        },
    ]
}

/// A sign-up round whose session `s1` (two days from now, 2 hours) has `people` confirmed POH-GGZ,
/// poh01@example.org and on, and an administrator logged in.
pub struct Desk {
    pub app: TestApp,
    pub admin: Session,
    pub session: i64,
    pub starts: DateTime<Utc>,
    logins: u32,
}

impl Desk {
    pub async fn with(people: usize) -> Desk {
        let app = TestApp::spawn_configured(|s| {
            s.organisation = Organisation::parse(RawOrganisation {
                name: Some(ORGANISATION.into()),
                email: None,
                phone: None,
                privacy_contact: None,
            })
            .expect("organisation");
        })
        .await;
        app.import_contacts(&poh_contacts(people)).await;
        let starts = app.now() + Duration::days(2);
        let mut s1 = session("s1", people as u32, starts);
        s1.activity_id = "ABC1-123456".into();
        let round = open_signup(&app, vec![s1], Duration::hours(24)).await;
        sqlx::query("UPDATE rounds SET accreditation_json = $1 WHERE id = $2")
            .bind(serde_json::to_string(&registers()).unwrap())
            .bind(round.0)
            .execute(&app.pool)
            .await
            .expect("registers");
        for path in link_paths(&app, round).await {
            assert_eq!(sign_up(&app, &path, "s1").await, 303, "{path}");
        }
        let session: i64 = sqlx::query_scalar("SELECT id FROM sessions WHERE round_id = $1 AND code = 's1'")
            .bind(round.0)
            .fetch_one(&app.pool)
            .await
            .expect("session");
        let admin = app.login_as("beheer@example.org", Role::Admin).await;
        Desk { app, admin, session, starts, logins: 0 }
    }

    /// Remembers a person's register details, as the sign-up does.
    pub async fn details(&self, email: &str, initials: &str, surname: &str, big: &str, lidnummer: &str) {
        let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
            .bind(email)
            .fetch_one(&self.app.pool)
            .await
            .expect("contact");
        let mut numbers = BTreeMap::new();
        numbers.insert("kwaliteitsregister-poh-ggz".to_string(), lidnummer.to_string());
        let details = PersonDetails {
            initials: initials.into(),
            surname: surname.into(),
            big_number: (!big.is_empty()).then(|| BigNumber::parse(big).expect("a BIG number")),
            numbers,
        };
        let mut tx = self.app.db.write().await.expect("tx");
        person::save(&mut tx, ContactId(contact), &details, self.app.now()).await.expect("save");
        tx.commit().await.expect("commit");
    }

    /// The confirmed seat of `email` in the session.
    pub async fn seat(&self, email: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
             JOIN contacts c ON c.id = i.contact_id WHERE st.session_id = $1 AND c.email = $2",
        )
        .bind(self.session)
        .bind(email)
        .fetch_one(&self.app.pool)
        .await
        .expect("a seat")
    }

    /// The session has begun.
    pub async fn begin(&mut self) {
        self.later(Duration::days(2) + Duration::minutes(5)).await;
    }

    /// Time moves on by `by`; the administrator logs in again (a login lasts hours, not days).
    pub async fn later(&mut self, by: Duration) {
        self.app.clock.advance(by);
        self.logins += 1;
        self.admin = self.app.login_as(&format!("beheer{}@example.org", self.logins), Role::Admin).await;
    }

    pub fn path(&self, tail: &str) -> String {
        format!("/beheer/bijeenkomsten/{}{tail}", self.session)
    }

    /// Posts to the tablet page; the status and where it leads.
    pub async fn tick(&self, tail: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut fields = fields.to_vec();
        fields.push(("csrf", self.admin.csrf()));
        let url = format!("{}{}", self.app.url, self.path(&format!("/aanwezigheid{tail}")));
        let response = self.admin.client.post(url).form(&fields).send().await.expect("POST");
        let status = response.status().as_u16();
        let to =
            response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        (status, to, response.text().await.expect("body"))
    }

    /// Seat id → attended (NULL as None), for the session.
    pub async fn attended(&self) -> Vec<(i64, Option<i64>)> {
        sqlx::query_as("SELECT id, attended FROM seats WHERE session_id = $1 ORDER BY id")
            .bind(self.session)
            .fetch_all(&self.app.pool)
            .await
            .expect("seats")
    }

    pub async fn audited(&self, action: &str) -> Vec<String> {
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = $1 ORDER BY id")
            .bind(action)
            .fetch_all(&self.app.pool)
            .await
            .expect("audit")
    }
}
