//! The security measures a register entry names (article 30(1)(g)): what docs/security.md
//! promises and its tests hold peil to, in a sentence each for a privacy officer. Kept here, as
//! one list, so that the register and the statement cannot claim different things; a measure
//! that depends on how peil is run (TLS in front, backups) says so.

/// The technical and organisational measures that apply to every processing in peil.
pub const MEASURES: &[&str] = &[
    "Persoonlijke links zijn willekeurig (256 bits) en afgeleid met HMAC onder de geheime sleutel; \
     de database bewaart alleen een hash, zodat een kopie van de database geen werkende link geeft.",
    "Na het openen wordt de link ingewisseld voor een versleutelde cookie, zodat de link uit de \
     adresbalk en de geschiedenis verdwijnt; foute links en inlogpogingen worden beperkt.",
    "Medewerkers loggen in met een wachtwoord (argon2id); sessies verlopen na 2 uur zonder gebruik \
     en na 12 uur in elk geval.",
    "Elk formulier van een medewerker draagt een CSRF-token en moet van peil zelf komen (Origin / \
     Sec-Fetch-Site).",
    "Verkeer gaat over TLS (https) via een reverse proxy ervoor; peil stuurt dan \
     Strict-Transport-Security mee. Dat is een eis aan de installatie.",
    "Uitkomsten voor de werkgroep alleen van groepen van ten minste de privacydrempel \
     (min_group_size), ook niet af te leiden door groepen van elkaar af te trekken.",
    "Anonieme antwoorden zonder uitnodiging, tijdstip en volgorde; ze wachten versleuteld \
     (AES-256-GCM) tot er genoeg samen kunnen worden opgeslagen.",
    "Een logboek (audit log) van inloggen, accounts, elke inzage in uitkomsten en elke export.",
    "Tokens, wachtwoorden, antwoorden en e-mailteksten komen niet in de log van peil.",
    "De databasebestanden, de geheime sleutel en de e-mails op schijf zijn alleen leesbaar voor \
     de gebruiker waaronder peil draait.",
    "Exports (CSV, XLSX) zijn beschermd tegen formules die een spreadsheet zou uitvoeren.",
];
