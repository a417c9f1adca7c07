//! What the result pages read back from the database: a stored value that cannot be read is an
//! error that names it, never a default that would show a wrong date or a round as closed.

use super::pages::closed_round;

#[tokio::test]
async fn a_round_with_an_unreadable_closing_time_is_an_error_not_a_default() {
    let (app, round, _forms) = closed_round().await;
    sqlx::query("UPDATE rounds SET closes_at = 'gisteren' WHERE id = $1")
        .bind(round.0)
        .execute(&app.pool)
        .await
        .expect("spoil the closing time");
    let listed = peil::results::load::rounds(&app.pool).await.expect_err("an error");
    assert!(listed.to_string().contains("gisteren"), "{listed}");
    assert!(peil::results::load::one_round(&app.pool, round).await.is_err());
}
