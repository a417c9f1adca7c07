//! The backends side by side: one Markdown table per workload (respond, mail, signup, results)
//! with a row per backend and instance count, SQLite first when it ran in the same invocation.

use std::fmt::Write as _;

use crate::mail::Mail;
use crate::postgres::Postgres;
use crate::respond::Respond;
use crate::results::Results;
use crate::signup::{SEATS, Signup};

/// One workload's figures on one backend with a number of instances.
struct Run<'a, T> {
    backend: &'static str,
    instances: usize,
    figures: &'a T,
}

/// The runs collected for the tables.
#[derive(Default)]
pub struct Figures<'a> {
    respond: Vec<Run<'a, Respond>>,
    mail: Vec<Run<'a, Mail>>,
    signup: Vec<Run<'a, Signup>>,
    results: Vec<Run<'a, Results>>,
}

impl<'a> Figures<'a> {
    pub fn sqlite(&mut self, respond: &'a Respond, mail: &'a Mail, signup: &'a Signup, results: &'a Results) {
        let (backend, instances) = ("SQLite", 1);
        self.respond.push(Run { backend, instances, figures: respond });
        self.mail.push(Run { backend, instances, figures: mail });
        self.signup.push(Run { backend, instances, figures: signup });
        self.results.push(Run { backend, instances, figures: results });
    }

    pub fn postgres(&mut self, pg: &'a Postgres) {
        let backend = "PostgreSQL";
        self.respond.extend(pg.respond.iter().map(|(instances, figures)| Run {
            backend,
            instances: *instances,
            figures,
        }));
        self.mail.extend(pg.mail.iter().map(|(instances, figures)| Run {
            backend,
            instances: *instances,
            figures,
        }));
        self.signup.extend(pg.signup.iter().map(|(instances, figures)| Run {
            backend,
            instances: *instances,
            figures,
        }));
        self.results.push(Run { backend, instances: 1, figures: &pg.results });
    }

    pub fn tables(&self) -> String {
        [self.respond_table(), self.mail_table(), self.signup_table(), self.results_table()].join("\n")
    }

    fn respond_table(&self) -> String {
        let mut out = String::from(
            "| backend | instances | concurrency | responses | /s | p50 ms | p99 ms | CPU ms/resp. | peak RSS MiB |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for run in &self.respond {
            for l in &run.figures.levels {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.1} |",
                    run.backend,
                    run.instances,
                    l.concurrency,
                    l.count,
                    l.per_second,
                    l.p50_ms,
                    l.p99_ms,
                    l.cpu_ms,
                    run.figures.peak_rss_mib
                );
            }
        }
        out
    }

    fn mail_table(&self) -> String {
        let mut out = String::from(
            "| backend | instances | mails | seconds | mails/s | first ms | CPU ms/mail | peak RSS MiB \
             | SMTP connections | sent = received = distinct |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
        );
        for Run { backend, instances, figures: m } in &self.mail {
            let _ = writeln!(
                out,
                "| {backend} | {instances} | {} | {:.2} | {:.0} | {:.0} | {:.2} | {:.1} | {} | {} |",
                m.messages,
                m.seconds,
                m.per_second,
                m.first_ms,
                m.cpu_ms,
                m.peak_rss_mib,
                m.connections,
                if m.verified { "yes" } else { "no" }
            );
        }
        out
    }

    fn signup_table(&self) -> String {
        let mut out = String::from(
            "| backend | instances | people | errors | seats (confirmed / taken) | waiting | seat mails \
             | POST p50 ms | POST p99 ms | wall s |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for Run { backend, instances, figures: s } in &self.signup {
            let _ = writeln!(
                out,
                "| {backend} | {instances} | {} | {} | {} / {} of {SEATS} | {} | {} | {:.2} | {:.2} | {:.2} |",
                s.people,
                s.errors,
                s.confirmed,
                s.taken,
                s.waiting,
                s.seat_mails,
                s.p50_ms,
                s.p99_ms,
                s.wall_s
            );
        }
        out
    }

    fn results_table(&self) -> String {
        let mut out = String::from(
            "| backend | responses | first request ms | p50 ms | p95 ms | page size |\n\
             | --- | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for Run { backend, figures, .. } in &self.results {
            for l in &figures.levels {
                let _ = writeln!(
                    out,
                    "| {backend} | {} | {:.1} | {:.1} | {:.1} | {} kB |",
                    l.responses,
                    l.first_ms,
                    l.p50_ms,
                    l.p95_ms,
                    l.bytes / 1024
                );
            }
        }
        out
    }
}
