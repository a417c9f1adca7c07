//! Reading a stored response straight into the accumulators: the JSON is walked once, keys are
//! looked up without copying them, and only free texts are allocated. A value whose shape does
//! not fit its question (an answer from an older version of the form) is read and dropped.

use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::acc::Acc;

/// A scalar JSON value, borrowed for as long as the visitor call lasts.
pub(super) enum Leaf<'x> {
    Bool(bool),
    Number(f64),
    Str(&'x str),
}

/// Where a key of the response goes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Target {
    Answer(usize),
    /// The "Anders, namelijk" text of a question.
    Other(usize),
}

/// The whole response: a JSON object, question id to answer.
pub(super) struct Response<'a> {
    pub keys: &'a HashMap<String, Target>,
    pub accs: &'a mut [Acc],
}

impl<'de> Visitor<'de> for Response<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of answers")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let keys = self.keys;
        while let Some(target) = map.next_key_seed(Scalar(|leaf: Leaf<'_>| match leaf {
            Leaf::Str(key) => keys.get(key).copied(),
            _ => None,
        }))? {
            match target.flatten() {
                Some(Target::Answer(i)) => map.next_value_seed(Answer(&mut self.accs[i]))?,
                Some(Target::Other(i)) => {
                    let acc = &mut self.accs[i];
                    map.next_value_seed(Scalar(|leaf: Leaf<'_>| {
                        if let Leaf::Str(text) = leaf {
                            acc.other_text(text);
                        }
                    }))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One question's answer, folded into its accumulator.
struct Answer<'a>(&'a mut Acc);

impl<'de> DeserializeSeed<'de> for Answer<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Answer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.leaf(Leaf::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.leaf(Leaf::Number(v as f64));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.leaf(Leaf::Number(v as f64));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.leaf(Leaf::Number(v));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.leaf(Leaf::Str(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let acc = self.0;
        if !acc.takes_list() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let mut list = acc.start_list();
        while seq
            .next_element_seed(Scalar(|leaf: Leaf<'_>| {
                if let Leaf::Str(value) = leaf {
                    acc.list_item(&mut list, value);
                }
            }))?
            .is_some()
        {}
        acc.end_list(list);
        Ok(())
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let acc = self.0;
        if !acc.takes_grid() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        while let Some(item) = map.next_key_seed(Scalar(|leaf: Leaf<'_>| match leaf {
            Leaf::Str(item) => acc.grid_item(item),
            _ => None,
        }))? {
            match item.flatten() {
                Some(row) => {
                    map.next_value_seed(Scalar(|leaf: Leaf<'_>| acc.grid_value(row, leaf)))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A value that only counts when it is a scalar: `f` sees it; arrays, objects and null are
/// skipped (`None`).
struct Scalar<F>(F);

impl<'de, F: for<'x> FnOnce(Leaf<'x>) -> R, R> DeserializeSeed<'de> for Scalar<F> {
    type Value = Option<R>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<R>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: for<'x> FnOnce(Leaf<'x>) -> R, R> Visitor<'de> for Scalar<F> {
    type Value = Option<R>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Option<R>, E> {
        Ok(Some((self.0)(Leaf::Bool(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Option<R>, E> {
        Ok(Some((self.0)(Leaf::Number(v as f64))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Option<R>, E> {
        Ok(Some((self.0)(Leaf::Number(v as f64))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Option<R>, E> {
        Ok(Some((self.0)(Leaf::Number(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Option<R>, E> {
        Ok(Some((self.0)(Leaf::Str(v))))
    }

    fn visit_unit<E>(self) -> Result<Option<R>, E> {
        Ok(None)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Option<R>, S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Option<R>, M::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}
