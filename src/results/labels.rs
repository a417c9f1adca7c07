//! The names people read for the codes kept with invitations and responses: "Havenkwartier"
//! for `haven`, "POH-GGZ" for `poh-ggz`. The codes stay in URLs, filters and the database; the
//! labels come from the forms' lists `wijken` and `rollen` (the same ones `peil contacts import`
//! checks against), so one edit there renames a wijk everywhere the werkgroep reads it.

use std::collections::BTreeMap;

use crate::forms::Forms;

/// Code → label for wijken and roles; a code without a label is shown as it is.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    wijken: BTreeMap<String, String>,
    roles: BTreeMap<String, String>,
}

impl Labels {
    pub fn of(forms: &Forms) -> Labels {
        Labels::new(forms.list_pairs("wijken"), forms.list_pairs("rollen"))
    }

    pub fn new(wijken: Vec<(String, String)>, roles: Vec<(String, String)>) -> Labels {
        Labels { wijken: wijken.into_iter().collect(), roles: roles.into_iter().collect() }
    }

    /// The wijk's label, or the code when the list does not have it (a wijk since removed).
    pub fn wijk(&self, code: &str) -> String {
        self.wijken.get(code).cloned().unwrap_or_else(|| code.to_string())
    }

    pub fn role(&self, code: &str) -> String {
        self.roles.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_as_its_label_and_an_unknown_code_as_itself() {
        let pair = |v: &str, l: &str| (v.to_string(), l.to_string());
        let labels = Labels::new(vec![pair("haven", "Havenkwartier")], vec![pair("poh-ggz", "POH-GGZ")]);
        assert_eq!(labels.wijk("haven"), "Havenkwartier");
        assert_eq!(labels.role("poh-ggz"), "POH-GGZ");
        assert_eq!(labels.wijk("verdwenen"), "verdwenen");
        assert_eq!(labels.wijk(""), "");
    }
}
