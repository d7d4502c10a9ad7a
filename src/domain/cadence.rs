//! Stay-in-touch cadences: how long a client may go without any interaction before a touch falls
//! due. A contact's own (`rapport edit ana --stay-in-touch 30d`) wins; one without takes the
//! config's for their stage (`[follow_ups.stay_in_touch]`), brought forward to their usual rhythm
//! of buying when `from_rhythm` is on and that comes sooner; `off` opts a contact out of both.

use chrono::{Days, NaiveDate};

use super::due::{parse_every, Every, EveryUnit};
use super::scores::Stage;

/// A rhythm never makes a cadence shorter than this: a client who buys every week is not chased
/// after ten quiet days.
pub const RHYTHM_MIN_DAYS: u32 = 14;

/// Purchase days a client needs before their rhythm counts (two intervals): one gap between two
/// purchases — a first project and its quick follow-on — is not yet a habit.
pub const RHYTHM_MIN_PURCHASE_DAYS: i64 = 3;

/// A contact's own setting, as `--stay-in-touch` takes it and `contacts.stay_in_touch` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnCadence {
    /// Their own cadence (stored as its text, `30d`).
    Every(Every),
    /// None at all, whatever the config says (stored as `off`).
    Off,
    /// None of their own: the config's for their stage applies (stored as NULL).
    FromConfig,
}

impl OwnCadence {
    /// `30d`, `every 2 months`, `monthly`...; `off`; `default` (back to the config's).
    pub fn parse(input: &str) -> Result<OwnCadence, String> {
        let text = input.trim();
        if text.eq_ignore_ascii_case("off") {
            Ok(OwnCadence::Off)
        } else if text.eq_ignore_ascii_case("default") {
            Ok(OwnCadence::FromConfig)
        } else {
            parse_every(text).map(OwnCadence::Every).map_err(|e| {
                format!("{e}, or 'off' (no cadence at all) or 'default' (the config's)")
            })
        }
    }

    pub fn to_storage(self) -> Option<String> {
        match self {
            OwnCadence::Every(every) => Some(every.to_text()),
            OwnCadence::Off => Some("off".into()),
            OwnCadence::FromConfig => None,
        }
    }

    /// Reads the stored text back; text that is neither a cadence nor `off` counts as `off`
    /// (never a config cadence the user did not ask for).
    pub fn from_storage(text: Option<&str>) -> OwnCadence {
        match text {
            None => OwnCadence::FromConfig,
            Some(text) => Every::from_text(text).map_or(OwnCadence::Off, OwnCadence::Every),
        }
    }
}

/// Where a contact's cadence came from, as `today` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadenceSource {
    /// Set on the contact.
    Own,
    /// The config's cadence for this stage.
    Stage(Stage),
    /// The client's usual interval between purchases (shorter than their stage's cadence).
    Rhythm,
}

impl std::fmt::Display for CadenceSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CadenceSource::Own => f.write_str("own"),
            CadenceSource::Stage(stage) => write!(f, "stage {}", stage),
            CadenceSource::Rhythm => f.write_str("usual rhythm"),
        }
    }
}

/// A cadence and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    pub every: Every,
    pub source: CadenceSource,
}

impl Cadence {
    /// The day a touch falls due when the last one was on `since`.
    pub fn due_after(&self, since: NaiveDate) -> NaiveDate {
        self.every.after(since)
    }
}

/// The cadence of a client without one of their own in `stage`, whose config cadence is
/// `stage_every`: that, or — given `usual_interval_days` (passed only when `from_rhythm` is on
/// and the client has bought on [`RHYTHM_MIN_PURCHASE_DAYS`] days or more: see
/// `StayInTouchConfig::cadence_of`) — their usual interval rounded to whole days
/// and at least [`RHYTHM_MIN_DAYS`], when a touch on that rhythm after `since` comes sooner. The
/// stage's cadence is thus the longest a client goes untouched; the rhythm can only bring it
/// forward, so a client who usually buys every five weeks hears from you after five quiet weeks,
/// and one who buys twice a year still after the stage's three months.
pub fn config_cadence(
    stage: Stage,
    stage_every: Every,
    usual_interval_days: Option<f64>,
    since: NaiveDate,
) -> Cadence {
    let by_stage = Cadence {
        every: stage_every,
        source: CadenceSource::Stage(stage),
    };
    let Some(days) = usual_interval_days.filter(|d| d.is_finite() && *d > 0.0) else {
        return by_stage;
    };
    // At least 14 days, and at most 999 (the longest count a cadence is written with).
    let days = (days.round() as u32).clamp(RHYTHM_MIN_DAYS, 999);
    let on_rhythm = since.checked_add_days(Days::new(u64::from(days)));
    if on_rhythm.is_some_and(|d| d < by_stage.due_after(since)) {
        Cadence {
            every: Every {
                count: days,
                unit: EveryUnit::Day,
            },
            source: CadenceSource::Rhythm,
        }
    } else {
        by_stage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn own_settings_round_trip_and_off_is_not_the_config() {
        let thirty = Every::from_text("30d").unwrap();
        for own in [
            OwnCadence::Every(thirty),
            OwnCadence::Off,
            OwnCadence::FromConfig,
        ] {
            assert_eq!(OwnCadence::from_storage(own.to_storage().as_deref()), own);
        }
        assert_eq!(OwnCadence::parse(" OFF "), Ok(OwnCadence::Off));
        assert_eq!(OwnCadence::parse("default"), Ok(OwnCadence::FromConfig));
        assert_eq!(
            OwnCadence::parse("every 30 days"),
            Ok(OwnCadence::Every(thirty))
        );
        assert!(OwnCadence::parse("often").is_err());
        // Unreadable stored text opts out rather than silently taking a config cadence.
        assert_eq!(OwnCadence::from_storage(Some("sometimes")), OwnCadence::Off);
    }

    #[test]
    fn the_rhythm_only_brings_the_stage_cadence_forward() {
        let three_months = Every::from_text("3m").unwrap();
        let since = day("2026-10-04");
        let cadence = |usual| config_cadence(Stage::Loyal, three_months, usual, since);
        // No rhythm: the stage's, due three months on.
        let plain = cadence(None);
        assert_eq!(plain.source, CadenceSource::Stage(Stage::Loyal));
        assert_eq!(plain.due_after(since), day("2027-01-04"));
        // Buying every 30.4 days: 30 days, due on 2026-11-03.
        let rhythm = cadence(Some(30.4));
        assert_eq!(rhythm.source, CadenceSource::Rhythm);
        assert_eq!(rhythm.every.to_text(), "30d");
        assert_eq!(rhythm.due_after(since), day("2026-11-03"));
        // Weekly buyers are given two weeks; twice-yearly ones keep the stage's three months.
        assert_eq!(cadence(Some(6.0)).every.to_text(), "14d");
        assert_eq!(cadence(Some(182.0)), plain);
        assert_eq!(cadence(Some(f64::NAN)), plain);
        assert_eq!(plain.source.to_string(), "stage Loyal");
        assert_eq!(rhythm.source.to_string(), "usual rhythm");
    }
}
