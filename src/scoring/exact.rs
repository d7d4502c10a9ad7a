//! Serde helpers that make model numbers survive a JSON round trip bit for bit.
//!
//! serde_json (without its `float_roundtrip` feature) may parse a 17-digit float one ULP off, and
//! then an incremental score computed from stored models could differ from a full re-score. Model
//! numbers are therefore written as the shortest exact decimal text (`"0.1"`) and read back with
//! Rust's correctly rounded parser. Plain JSON numbers are accepted too, for hand-edited files.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};

struct Exact(f64);

impl serde::Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `{}` on f64 prints the shortest text that parses back to the same value.
        s.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Exact;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a number written as text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Exact, E> {
                v.trim()
                    .parse::<f64>()
                    .map(Exact)
                    .map_err(|_| E::custom(format!("'{}' is not a number", v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
                Ok(Exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

/// `#[serde(with = "exact::num")]` for one `f64`.
pub mod num {
    use super::*;

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&Exact(*v), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        <Exact as serde::Deserialize>::deserialize(d).map(|e| e.0)
    }
}

/// `#[serde(with = "exact::vec")]` for a `Vec<f64>`.
pub mod vec {
    use super::*;

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for x in v {
            seq.serialize_element(&Exact(*x))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<f64>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(Exact(x)) = seq.next_element()? {
                    out.push(x);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V)
    }
}

/// `#[serde(with = "exact::arr3")]` for an `[f64; 3]`.
pub mod arr3 {
    use super::*;

    pub fn serialize<S: Serializer>(v: &[f64; 3], s: S) -> Result<S::Ok, S::Error> {
        super::vec::serialize(v, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 3], D::Error> {
        let v = super::vec::deserialize(d)?;
        <[f64; 3]>::try_from(v.as_slice())
            .map_err(|_| de::Error::custom(format!("expected 3 numbers, found {}", v.len())))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Probe {
        #[serde(with = "super::num")]
        a: f64,
        #[serde(with = "super::vec")]
        b: Vec<f64>,
        #[serde(with = "super::arr3")]
        c: [f64; 3],
    }

    #[test]
    fn awkward_floats_round_trip_exactly() {
        // Values with 17 significant digits are the ones a fast parser gets wrong.
        let mut x = 0.123_456_789_012_345_67_f64;
        let mut b = Vec::new();
        for i in 0..500 {
            x = (x * 7.123_456_789 + i as f64 * 1e-3).fract() * 10f64.powi(i % 40 - 20);
            b.push(if i % 2 == 0 { x } else { -x });
        }
        let probe = Probe {
            a: 1.0 / 3.0,
            b,
            c: [f64::MIN_POSITIVE, 1e300, -0.1],
        };
        let text = serde_json::to_string(&probe).unwrap();
        let back: Probe = serde_json::from_str(&text).unwrap();
        assert_eq!(back, probe);
        let bits = |p: &Probe| p.b.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&probe));
    }

    #[test]
    fn plain_numbers_are_accepted() {
        let back: Probe = serde_json::from_str(r#"{"a":1,"b":[0.5,"2"],"c":[1,2,3]}"#).unwrap();
        assert_eq!(back.b, vec![0.5, 2.0]);
        assert!(serde_json::from_str::<Probe>(r#"{"a":1,"b":[],"c":[1,2]}"#).is_err());
    }
}
