//! Three instances start at the same moment with a job whose occurrence is due: each one's first
//! tick tries to open it, and the database lets exactly one round per wijk through, with one
//! invitation and one invitation mail per person.

use std::collections::BTreeMap;

use super::Cluster;

/// Every hour on the hour, open for an hour: at any moment exactly one occurrence is due.
const HOURLY: &str = r#"form = "samenwerking-sociaal-domein"
schedule = "0 * * * *"
open_for = "1h"

[audience]
roles = ["huisarts"]
per = "wijk"
"#;

/// Five huisartsen in each of three wijken, and three POH-GGZ who are not in the audience.
fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for wijk in ["noord", "oost", "zuid"] {
        for i in 1..=5 {
            csv.push_str(&format!("Huisarts {wijk} {i};ha{i}.{wijk}@example.org;huisarts;P;{wijk};Stad\n"));
        }
    }
    for i in 1..=3 {
        csv.push_str(&format!("POH {i};poh{i}@example.org;poh-ggz;P;noord;Stad\n"));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_starting_at_once_open_a_due_round_once_per_wijk() {
    let cluster = Cluster::new();
    std::fs::create_dir_all(&cluster.jobs).expect("jobs folder");
    std::fs::write(cluster.jobs.join("elk-uur.toml"), HOURLY).expect("job file");
    let csv = cluster.write("contacts.csv", &contacts());
    cluster.run(&["contacts", "import", &csv]);
    // The scheduler catches up only on occurrences after it first saw the job: make that two
    // hours ago, so the occurrence at the top of this hour is due when the instances start.
    let pool = cluster.pool().await;
    let earlier = chrono::Utc::now() - chrono::Duration::hours(2);
    sqlx::query("INSERT INTO job_state (job_id, since) VALUES ('elk-uur', $1)")
        .bind(peil::db::Timestamp::from(earlier))
        .execute(&pool)
        .await
        .expect("seed job_state");

    // `start` returns when every instance answers, which is after its first tick.
    let instances = cluster.start(3).await;
    let logs: Vec<String> = instances.iter().map(|i| i.log()).collect();
    for (instance, log) in instances.iter().zip(&logs) {
        assert!(!log.contains("ERROR"), "{} logged an error:\n{log}", instance.name);
    }

    let rounds: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT occurrence, part, COUNT(*) FROM rounds WHERE job_id = 'elk-uur' GROUP BY occurrence, part",
    )
    .fetch_all(&pool)
    .await
    .expect("rounds");
    let mut per_occurrence: BTreeMap<&str, Vec<(&str, i64)>> = BTreeMap::new();
    for (occurrence, part, count) in &rounds {
        per_occurrence.entry(occurrence).or_default().push((part, *count));
    }
    // Normally one occurrence; two only if the instances started across the top of an hour.
    assert!((1..=2).contains(&per_occurrence.len()), "{rounds:?}");
    for (occurrence, mut parts) in per_occurrence.clone() {
        parts.sort();
        assert_eq!(parts, [("noord", 1), ("oost", 1), ("zuid", 1)], "occurrence {occurrence}");
    }
    let opened: usize = logs.iter().map(|log| log.matches("round opened").count()).sum();
    assert_eq!(opened, rounds.len(), "each round was opened by one instance:\n{}", logs.join("\n"));

    // Every huisarts once per occurrence, in the round of their own wijk; nobody else.
    let per_person: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.email, COUNT(*) FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         JOIN rounds r ON r.id = i.round_id WHERE r.part = c.wijk GROUP BY c.email ORDER BY c.email",
    )
    .fetch_all(&pool)
    .await
    .expect("invitations");
    let occurrences = i64::try_from(per_occurrence.len()).expect("small");
    assert_eq!(per_person.len(), 15, "{per_person:?}");
    assert!(
        per_person.iter().all(|(email, n)| email.starts_with("ha") && *n == occurrences),
        "{per_person:?}"
    );
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("count") }
    };
    assert_eq!(count("SELECT COUNT(*) FROM invitations").await, 15 * occurrences);
    let mails = "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'";
    assert_eq!(count(mails).await, 15 * occurrences, "one invitation mail per invitation");
    let one_each = "SELECT COUNT(*) FROM (SELECT invitation_id FROM outbox WHERE kind = 'invitation' \
                    GROUP BY invitation_id HAVING COUNT(*) > 1) AS twice";
    assert_eq!(count(one_each).await, 0);
}
