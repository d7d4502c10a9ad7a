//! The follow-up forms: plan one for a contact, edit one, put one off, mark one done (asking
//! what to log). Dates take the same natural forms as `rapport follow-up add --due`.

use chrono::{NaiveDate, NaiveDateTime};

use super::form::{field, FieldRole, Form, FormError, FormKind, Target};
use super::input::LineInput;
use crate::domain::due::{parse_due, parse_every};
use crate::domain::follow_up::{parse_every_or_off, parse_touch_kind};
use crate::domain::text::printable;
use crate::domain::{
    Due, Every, FollowUp, FollowUpId, FollowUpSource, NewFollowUp, NewInteraction,
};

/// Examples of the due forms, as the date fields show them.
const DUE_FORMS: &str = "fri, 3d, 2w, eom, 2026-12-24 14:00";

/// A valid follow-up form, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowUpSubmission {
    Add {
        new: NewFollowUp,
        contact_name: String,
    },
    Edit {
        id: FollowUpId,
        text: String,
        due: Due,
        every: Option<Every>,
    },
    Snooze {
        id: FollowUpId,
        due: Due,
    },
    /// Done, with the entry that records it (None: log nothing).
    Done {
        follow_up: FollowUp,
        log: Option<NewInteraction>,
    },
}

fn prefilled(label: &str, placeholder: &str, role: FieldRole, text: &str) -> super::form::Field {
    let mut f = field(label, placeholder, role);
    f.input = LineInput::new(text);
    f
}

fn form(
    kind: FormKind,
    target: Target,
    subject: Option<FollowUp>,
    fields: Vec<super::form::Field>,
) -> Form {
    Form {
        kind,
        target: Some(target),
        subject,
        fields,
        focus: 0,
        error: None,
    }
}

impl Form {
    /// Plan a follow-up for `target`: what to do, when (default tomorrow), how often.
    pub fn add_follow_up(target: Target) -> Form {
        let fields = vec![
            field("To do", "e.g. call about the renewal", FieldRole::Task),
            field("Due", format!("tomorrow; or {}", DUE_FORMS), FieldRole::Due),
            field("Every", "once; or 2w, 1m, 3m", FieldRole::Every),
        ];
        form(FormKind::AddFollowUp, target, None, fields)
    }

    /// Change an open follow-up; its current values are filled in.
    pub fn edit_follow_up(follow_up: FollowUp, contact_name: &str) -> Form {
        let every = follow_up.every.map(|e| e.to_text()).unwrap_or_default();
        let fields = vec![
            prefilled("To do", "", FieldRole::Task, &follow_up.text),
            prefilled("Due", DUE_FORMS, FieldRole::Due, &follow_up.due.to_string()),
            prefilled("Every", "once; or 2w, 1m, 3m", FieldRole::Every, &every),
        ];
        form(
            FormKind::EditFollowUp(follow_up.id),
            target(&follow_up, contact_name),
            Some(follow_up),
            fields,
        )
    }

    /// Put an open follow-up off to a new date (default tomorrow).
    pub fn snooze(follow_up: FollowUp, contact_name: &str) -> Form {
        let fields = vec![field(
            "Until",
            format!("tomorrow; or {}", DUE_FORMS),
            FieldRole::Due,
        )];
        form(
            FormKind::Snooze(follow_up.id),
            target(&follow_up, contact_name),
            Some(follow_up),
            fields,
        )
    }

    /// Mark an open follow-up done; the first field asks which entry records it (empty: none).
    pub fn done(follow_up: FollowUp, contact_name: &str) -> Form {
        let fields = vec![
            field(
                "Log as",
                "nothing; or call, email, meeting, note",
                FieldRole::TouchKind,
            ),
            field("Summary", printable(&follow_up.text), FieldRole::Summary),
        ];
        form(
            FormKind::Done(follow_up.id),
            target(&follow_up, contact_name),
            Some(follow_up),
            fields,
        )
    }

    pub(super) fn validate_follow_up(
        &self,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<FollowUpSubmission, FormError> {
        let no_target = || FormError {
            field: None,
            message: "no follow-up is selected".into(),
        };
        let due = |default: Option<Due>| -> Result<Due, FormError> {
            match (self.value(&FieldRole::Due), default) {
                (Some(text), _) => {
                    parse_due(text, today).map_err(|e| self.fail(&FieldRole::Due, e))
                }
                (None, Some(due)) => Ok(due),
                (None, None) => Err(self.fail(
                    &FieldRole::Due,
                    format!("the due date is missing; e.g. tomorrow, {}", DUE_FORMS),
                )),
            }
        };
        let tomorrow = today.succ_opt().map(|date| Due { date, time: None });
        match self.kind {
            FormKind::AddFollowUp => {
                let target = self.target.as_ref().ok_or_else(no_target)?;
                let every = self
                    .value(&FieldRole::Every)
                    .map(parse_every)
                    .transpose()
                    .map_err(|e| self.fail(&FieldRole::Every, e))?;
                Ok(FollowUpSubmission::Add {
                    new: NewFollowUp {
                        contact_id: target.id,
                        text: self.task()?,
                        due: due(tomorrow)?,
                        every,
                        source: FollowUpSource::Manual,
                        created_at: now,
                    },
                    contact_name: target.name.clone(),
                })
            }
            FormKind::EditFollowUp(id) => {
                let every = match self.value(&FieldRole::Every) {
                    Some(text) => {
                        parse_every_or_off(text).map_err(|e| self.fail(&FieldRole::Every, e))?
                    }
                    None => None,
                };
                Ok(FollowUpSubmission::Edit {
                    id,
                    text: self.task()?,
                    due: due(None)?,
                    every,
                })
            }
            FormKind::Snooze(id) => Ok(FollowUpSubmission::Snooze {
                id,
                due: due(tomorrow)?,
            }),
            FormKind::Done(_) => {
                let follow_up = self.subject.clone().ok_or_else(no_target)?;
                let log = match self.value(&FieldRole::TouchKind) {
                    Some(text) => {
                        let kind = parse_touch_kind(text)
                            .map_err(|e| self.fail(&FieldRole::TouchKind, e))?;
                        let summary = self.value(&FieldRole::Summary).unwrap_or_default();
                        Some(follow_up.done_by(kind, summary, now))
                    }
                    None => None,
                };
                Ok(FollowUpSubmission::Done { follow_up, log })
            }
            FormKind::Log(_) | FormKind::AddContact => Err(no_target()),
        }
    }

    fn task(&self) -> Result<String, FormError> {
        self.value(&FieldRole::Task)
            .map(str::to_string)
            .ok_or_else(|| {
                self.fail(
                    &FieldRole::Task,
                    "the follow-up text is empty; say what to do (e.g. call about the renewal)"
                        .into(),
                )
            })
    }
}

fn target(follow_up: &FollowUp, contact_name: &str) -> Target {
    Target {
        id: follow_up.contact_id,
        name: contact_name.to_string(),
    }
}

/// The title of a follow-up form.
pub fn title(kind: FormKind, target: Option<&Target>) -> String {
    let name = target.map_or(String::new(), |t| printable(&t.name).into_owned());
    match kind {
        FormKind::AddFollowUp => format!("Follow up with {}", name),
        FormKind::EditFollowUp(id) => format!("Edit follow-up #{} for {}", id, name),
        FormKind::Snooze(id) => format!("Put off follow-up #{} for {}", id, name),
        FormKind::Done(id) => format!("Done: follow-up #{} for {}", id, name),
        FormKind::Log(_) | FormKind::AddContact => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::every::EveryUnit;
    use crate::domain::InteractionKind;
    use crate::tui::action::Action;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() // a Monday
    }

    fn now() -> NaiveDateTime {
        today().and_hms_opt(9, 30, 0).unwrap()
    }

    fn type_text(form: &mut Form, text: &str) {
        text.chars().for_each(|c| form.apply(Action::Insert(c)));
    }

    fn open_one() -> FollowUp {
        FollowUp {
            id: 12,
            contact_id: 7,
            text: "send the quote".into(),
            due: Due {
                date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                time: None,
            },
            every: None,
            source: FollowUpSource::Manual,
            created_at: now(),
            done_at: None,
            snoozed_at: None,
        }
    }

    fn check(form: &Form) -> Result<FollowUpSubmission, FormError> {
        form.validate_follow_up(today(), now())
    }

    #[test]
    fn a_new_follow_up_needs_text_defaults_to_tomorrow_and_reads_natural_dates() {
        let mut form = Form::add_follow_up(Target {
            id: 7,
            name: "Ana".into(),
        });
        assert_eq!(check(&form).unwrap_err().field, Some(0));
        type_text(&mut form, "call about the renewal");
        let Ok(FollowUpSubmission::Add { new, .. }) = check(&form) else {
            panic!("an add")
        };
        assert_eq!(new.due.to_string(), "2026-11-24");
        assert_eq!((new.contact_id, new.every), (7, None));
        form.apply(Action::NextField);
        type_text(&mut form, "next friday 14:00");
        form.apply(Action::NextField);
        type_text(&mut form, "2w");
        let Ok(FollowUpSubmission::Add { new, .. }) = check(&form) else {
            panic!("an add")
        };
        assert_eq!(new.due.to_string(), "2026-11-27 14:00");
        assert_eq!(
            new.every,
            Some(Every {
                count: 2,
                unit: EveryUnit::Week
            })
        );
        form.apply(Action::ClearLine);
        type_text(&mut form, "sometimes");
        let err = check(&form).unwrap_err();
        assert_eq!(err.field, Some(2), "{}", err.message);
    }

    #[test]
    fn snooze_points_at_a_bad_date_and_edit_keeps_what_is_not_changed() {
        let mut snooze = Form::snooze(open_one(), "Ana");
        type_text(&mut snooze, "someday");
        let err = check(&snooze).unwrap_err();
        assert_eq!(err.field, Some(0));
        assert!(err.message.contains("someday"), "{}", err.message);
        snooze.apply(Action::ClearLine);
        type_text(&mut snooze, "in 3 days");
        assert_eq!(
            check(&snooze).unwrap(),
            FollowUpSubmission::Snooze {
                id: 12,
                due: Due {
                    date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                    time: None
                }
            }
        );
        let edit = Form::edit_follow_up(open_one(), "Ana");
        let Ok(FollowUpSubmission::Edit {
            id,
            text,
            due,
            every,
        }) = check(&edit)
        else {
            panic!("an edit")
        };
        assert_eq!(
            (id, text.as_str(), due.to_string(), every),
            (12, "send the quote", "2026-11-20".to_string(), None)
        );
    }

    #[test]
    fn done_logs_nothing_by_default_or_the_kind_asked_with_the_follow_up_as_summary() {
        let mut done = Form::done(open_one(), "Ana");
        assert_eq!(
            check(&done).unwrap(),
            FollowUpSubmission::Done {
                follow_up: open_one(),
                log: None
            }
        );
        type_text(&mut done, "fax");
        assert!(check(&done)
            .unwrap_err()
            .message
            .contains("not a kind of touch"));
        done.apply(Action::ClearLine);
        type_text(&mut done, "call");
        let Ok(FollowUpSubmission::Done { log: Some(log), .. }) = check(&done) else {
            panic!("done with a log")
        };
        assert_eq!(
            (log.kind, log.summary.as_deref(), log.occurred_at),
            (InteractionKind::Call, Some("send the quote"), now())
        );
    }
}
