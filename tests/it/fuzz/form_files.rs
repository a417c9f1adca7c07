//! Form files and option lists, mutated from the shipped ones: each is either a form that a
//! round can store and read back, or a list of problems placed in the file.

use peil::forms::{self, FormsError};
use proptest::prelude::*;

use super::*;

fn check(file: &str, text: &str) {
    match quickly(file, || forms::check_text(file, text, &shipped_forms().lists)) {
        Ok(form) => assert_storable(&form),
        Err(diags) => assert_placed(file, text, &diags),
    }
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_mutated_form_file_is_a_storable_form_or_problems_placed_in_the_file(
        file in prop::sample::select(shipped_files("forms")),
        mutations in mutations(),
    ) {
        check(&file, &mutate(&shipped(&file), &mutations));
    }

    #[test]
    fn a_mutated_option_list_is_a_list_or_problems_placed_in_the_file(
        file in prop::sample::select(shipped_files("forms/lists")),
        mutations in mutations(),
    ) {
        let text = mutate(&shipped(&file), &mutations);
        let name = file.trim_start_matches("forms/lists/").trim_end_matches(".toml");
        if let Err(diags) = quickly(&file, || forms::lists_from(&[(name, &text)])) {
            assert_placed(&file, &text, &diags);
        }
    }

    #[test]
    fn random_text_is_refused_with_placed_problems(text in "(\\PC|\n){0,400}") {
        check("forms/random.toml", &text);
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// Through the folder loader: any bytes, also ones that are not UTF-8.
    #[test]
    fn a_forms_folder_with_a_mangled_file_loads_or_says_what_is_wrong_where(
        file in prop::sample::select(shipped_files("forms")),
        mutations in mutations(),
        bytes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_forms(dir.path());
        let mut mangled = mutate(&shipped(&file), &mutations).into_bytes();
        for (at, byte) in bytes {
            mangled.insert(at.index(mangled.len() + 1), byte);
        }
        let name = file.trim_start_matches("forms/");
        std::fs::write(dir.path().join(name), &mangled).expect("write");
        match quickly(&file, || forms::load(dir.path())) {
            Ok(forms) => forms.iter().for_each(|f| assert_storable(f)),
            Err(FormsError::Invalid(diags)) => {
                for d in &diags {
                    let text = std::fs::read(&d.file).expect("the named file exists");
                    let text = String::from_utf8(text).unwrap_or_default();
                    assert_placed(&d.file, &text, std::slice::from_ref(d));
                }
            }
            Err(e) => panic!("the folder is there: {e}"),
        }
    }
}

fn copy_forms(to: &std::path::Path) {
    std::fs::create_dir(to.join("lists")).expect("mkdir");
    for dir in ["forms", "forms/lists"] {
        for file in shipped_files(dir) {
            let target = to.join(file.trim_start_matches("forms/"));
            std::fs::copy(crate::helpers::repo(&file), target).expect("copy");
        }
    }
}

/// `what` nested `depth` times around `inner`, as the value of `key`.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deeply_nested_toml_is_refused_quickly_at_a_place_in_the_file() {
    let deep = 10_000;
    let texts = [
        format!("title = \"T\"\nquestions = {}\n", nested("[", "1", "]", deep)),
        format!("title = \"T\"\nquestions = {}\n", nested("{ a = ", "1", " }", deep)),
        format!("title = \"T\"\n{} = 1\n", vec!["a"; deep].join(".")),
        format!("title = \"T\"\n[{}]\n", vec!["a"; deep].join(".")),
        format!("title = \"T\"\nquestions = {}\n", "[".repeat(deep)),
    ];
    for text in &texts {
        let file = "forms/deep.toml";
        match quickly("a deeply nested file", || forms::check_text(file, text, &shipped_forms().lists)) {
            Ok(_) => panic!("a form without questions is accepted"),
            Err(diags) => assert_placed(file, text, &diags),
        }
    }
}

#[test]
fn a_huge_form_file_is_checked_in_reasonable_time() {
    let question = |i: usize| {
        format!(
            "[[questions]]\nid = \"q{i}\"\ntype = \"single\"\nlabel = \"V{i}\"\noptions = \"wijken\"\n\
             show_if = \"not answered(q{}) or q{} in ['noord', 'zuid']\"\n",
            i.saturating_sub(1),
            i.saturating_sub(1)
        )
    };
    // As many questions as one page can post (with _page and _nav, forms::MAX_FIELDS).
    let most = forms::MAX_FIELDS - 2;
    let text = format!("title = \"T\"\n{}", (0..most).map(question).collect::<String>());
    let diags =
        quickly("1998 questions", || forms::check_text("forms/big.toml", &text, &shipped_forms().lists))
            .expect_err("q0 depends on itself");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].to_string().starts_with("forms/big.toml:7:"), "{}", diags[0]);
}

proptest! {
    #![proptest_config(config(96))]

    /// A file saved with Windows line ends has the same problems at the same places.
    #[test]
    fn a_form_file_with_crlf_line_ends_has_the_same_problems_at_the_same_places(
        file in prop::sample::select(shipped_files("forms")),
        mutations in mutations(),
    ) {
        let text = mutate(&shipped(&file), &mutations).replace("\r\n", "\n");
        let lists = &shipped_forms().lists;
        let lf = forms::check_text(&file, &text, lists).err().unwrap_or_default();
        if lf.iter().any(|d| d.message.starts_with("TOML syntax")) {
            return Ok(()); // where TOML itself stops reading may differ with \r
        }
        let crlf = forms::check_text(&file, &text.replace('\n', "\r\n"), lists).err().unwrap_or_default();
        let places = |diags: &[peil::forms::Diagnostic]| diags.iter().map(|d| (d.line, d.col)).collect::<Vec<_>>();
        prop_assert_eq!(places(&crlf), places(&lf), "{:?}\n{:?}", crlf, lf);
    }
}
