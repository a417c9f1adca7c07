//! Reading results from the database. (lead)
