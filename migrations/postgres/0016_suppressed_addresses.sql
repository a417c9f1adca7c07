-- Addresses erased on request (AVG article 17, `peil person erase`), so that a contact import
-- does not quietly bring a person back. Only a keyed hash is kept (HMAC-SHA256 of the
-- lower-cased address under the secret key, see persons::suppression): the list itself names no
-- one, and without the key no address can be tried against it.
CREATE TABLE suppressed_addresses (
    address_hmac TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL
);
