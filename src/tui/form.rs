//! The quick-log and add-contact forms: their fields and the validation that turns them into
//! something the store can write. Nothing is written until every field is valid.

use chrono::{NaiveDate, NaiveDateTime};

use super::action::Action;
use super::input::LineInput;
use crate::cli::log::parse_ratings;
use crate::config::Config;
use crate::domain::contact::split_tags;
use crate::domain::{
    dates, money, ContactFields, ContactId, FollowUpId, InteractionKind, NewInteraction,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Log(InteractionKind),
    AddContact,
    /// Plan a follow-up for the target.
    AddFollowUp,
    /// Change this follow-up's text, due date or repeat.
    EditFollowUp(FollowUpId),
    /// Put this follow-up off.
    Snooze(FollowUpId),
    /// Mark this follow-up done, logging what was done (or nothing).
    Done(FollowUpId),
}

/// What a field holds, so validation knows how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRole {
    Summary,
    Date,
    Amount,
    Item,
    Rating(String),
    Name,
    Email,
    Phone,
    Company,
    Tags,
    Note,
    /// What a follow-up says to do.
    Task,
    /// When a follow-up is due (the natural forms of `follow-up add --due`).
    Due,
    /// How often it repeats.
    Every,
    /// Which kind of entry records doing a follow-up.
    TouchKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: String,
    /// Shown dimmed while the field is empty: the default, or an example.
    pub placeholder: String,
    pub role: FieldRole,
    pub input: LineInput,
}

/// The contact a log form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: ContactId,
    pub name: String,
}

/// A validation or store error, with the field it concerns when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub field: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub target: Option<Target>,
    /// The follow-up a form acts on (edit, snooze, done).
    pub subject: Option<crate::domain::FollowUp>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<FormError>,
}

/// A valid form, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    Log {
        new: NewInteraction,
        contact_name: String,
    },
    Add(ContactFields),
    FollowUp(super::form_follow_up::FollowUpSubmission),
}

pub(super) fn field(
    label: impl Into<String>,
    placeholder: impl Into<String>,
    role: FieldRole,
) -> Field {
    Field {
        label: label.into(),
        placeholder: placeholder.into(),
        role,
        input: LineInput::default(),
    }
}

/// The instant an entry without a typed date gets: now when the workspace follows the clock and
/// `today` is the real date, else noon of `today` (the same rule as `rapport log`).
pub fn default_instant(today: NaiveDate, follow_clock: bool) -> NaiveDateTime {
    let now = chrono::Local::now();
    if follow_clock && now.date_naive() == today {
        now.naive_local()
    } else {
        today.and_hms_opt(12, 0, 0).expect("noon is valid")
    }
}

impl Form {
    pub fn log(kind: InteractionKind, target: Target, config: &Config) -> Form {
        let date = || field("Date", "today", FieldRole::Date);
        let fields = match kind {
            InteractionKind::Purchase => vec![
                field(
                    format!("Amount ({})", config.currency),
                    "1200.50",
                    FieldRole::Amount,
                ),
                field("Item", "what was bought", FieldRole::Item),
                date(),
            ],
            InteractionKind::Feedback => {
                let mut fields: Vec<Field> = config
                    .dimension_names()
                    .into_iter()
                    .map(|d| {
                        field(
                            format!("{} (1-5)", d),
                            "stars",
                            FieldRole::Rating(d.to_string()),
                        )
                    })
                    .collect();
                fields.push(field("Note", "optional", FieldRole::Summary));
                fields.push(date());
                fields
            }
            _ => vec![
                field("Summary", "what it was about", FieldRole::Summary),
                date(),
            ],
        };
        Form {
            kind: FormKind::Log(kind),
            target: Some(target),
            subject: None,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn add_contact() -> Form {
        let fields = vec![
            field("Name", "required", FieldRole::Name),
            field("Email", "", FieldRole::Email),
            field("Phone", "", FieldRole::Phone),
            field("Company", "", FieldRole::Company),
            field("Tags", "comma, separated", FieldRole::Tags),
            field("Note", "", FieldRole::Note),
        ];
        Form {
            kind: FormKind::AddContact,
            target: None,
            subject: None,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn title(&self) -> String {
        match (self.kind, &self.target) {
            (FormKind::Log(kind), Some(target)) => format!(
                "Log {} with {}",
                kind,
                crate::domain::text::printable(&target.name)
            ),
            (FormKind::Log(kind), None) => format!("Log {}", kind),
            (FormKind::AddContact, _) => "Add a contact".to_string(),
            (kind, target) => super::form_follow_up::title(kind, target.as_ref()),
        }
    }

    /// Moves focus or edits the focused field; other actions are ignored.
    pub fn apply(&mut self, action: Action) {
        let count = self.fields.len();
        match action {
            Action::NextField | Action::Down => self.focus = (self.focus + 1) % count,
            Action::PrevField | Action::Up => self.focus = (self.focus + count - 1) % count,
            other => {
                if self.fields[self.focus].input.apply(other) {
                    // Typing after an error: the message stays until the next save attempt,
                    // but no longer points at a field the user is fixing.
                    if let Some(error) = &mut self.error {
                        if error.field == Some(self.focus) {
                            error.field = None;
                        }
                    }
                }
            }
        }
    }

    pub(super) fn value(&self, role: &FieldRole) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| &f.role == role)
            .map(|f| f.input.text().trim())
            .filter(|t| !t.is_empty())
    }

    fn index_of(&self, role: &FieldRole) -> Option<usize> {
        self.fields.iter().position(|f| &f.role == role)
    }

    pub(super) fn fail(&self, role: &FieldRole, message: String) -> FormError {
        FormError {
            field: self.index_of(role),
            message,
        }
    }

    /// Checks every field; the first problem is returned with its field.
    pub fn validate(
        &self,
        today: NaiveDate,
        default_at: NaiveDateTime,
        config: &Config,
    ) -> Result<Submission, FormError> {
        match self.kind {
            FormKind::AddContact => self.validate_contact(),
            FormKind::AddFollowUp
            | FormKind::EditFollowUp(_)
            | FormKind::Snooze(_)
            | FormKind::Done(_) => self
                .validate_follow_up(today, default_at)
                .map(Submission::FollowUp),
            FormKind::Log(kind) => {
                let target = self.target.as_ref().ok_or(FormError {
                    field: None,
                    message: "no contact is selected".into(),
                })?;
                let occurred_at = match self.value(&FieldRole::Date) {
                    Some(text) => dates::parse_when(text, today)
                        .map_err(|e| self.fail(&FieldRole::Date, e))?,
                    None => default_at,
                };
                let mut new = NewInteraction {
                    contact_id: target.id,
                    kind,
                    occurred_at,
                    summary: self.value(&FieldRole::Summary).map(str::to_string),
                    amount: None,
                    item: None,
                    ratings: Vec::new(),
                };
                match kind {
                    InteractionKind::Purchase => {
                        let text = self.value(&FieldRole::Amount).ok_or_else(|| {
                            self.fail(
                                &FieldRole::Amount,
                                "amount is missing; a purchase needs an amount".into(),
                            )
                        })?;
                        new.amount = Some(
                            money::parse_amount(text)
                                .map_err(|e| self.fail(&FieldRole::Amount, e))?,
                        );
                        new.item = self.value(&FieldRole::Item).map(str::to_string);
                    }
                    InteractionKind::Feedback => new.ratings = self.ratings(config)?,
                    _ => {}
                }
                Ok(Submission::Log {
                    new,
                    contact_name: target.name.clone(),
                })
            }
        }
    }

    fn ratings(&self, config: &Config) -> Result<Vec<crate::domain::Rating>, FormError> {
        let mut items = Vec::new();
        for (index, f) in self.fields.iter().enumerate() {
            if let FieldRole::Rating(dimension) = &f.role {
                let text = f.input.text().trim();
                if text.is_empty() {
                    continue;
                }
                let item = format!("{}={}", dimension, text);
                parse_ratings(std::slice::from_ref(&item), config).map_err(|message| {
                    FormError {
                        field: Some(index),
                        message,
                    }
                })?;
                items.push(item);
            }
        }
        if items.is_empty() {
            let first = self
                .fields
                .iter()
                .position(|f| matches!(f.role, FieldRole::Rating(_)));
            return Err(FormError {
                field: first,
                message: "ratings are missing; rate at least one dimension from 1 to 5".into(),
            });
        }
        parse_ratings(&items, config).map_err(|message| FormError {
            field: None,
            message,
        })
    }

    fn validate_contact(&self) -> Result<Submission, FormError> {
        let name = self.value(&FieldRole::Name).ok_or_else(|| {
            self.fail(
                &FieldRole::Name,
                "name is missing; a contact needs a name".into(),
            )
        })?;
        let fields = ContactFields {
            name: Some(name.to_string()),
            email: self.value(&FieldRole::Email).map(str::to_string),
            phone: self.value(&FieldRole::Phone).map(str::to_string),
            company: self.value(&FieldRole::Company).map(str::to_string),
            tags: self.value(&FieldRole::Tags).map(split_tags),
            note: self.value(&FieldRole::Note).map(str::to_string),
            ..ContactFields::default()
        };
        fields.validate().map_err(|message| {
            let role = if message.starts_with("email") {
                FieldRole::Email
            } else {
                FieldRole::Name
            };
            self.fail(&role, message)
        })?;
        Ok(Submission::Add(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn noon() -> NaiveDateTime {
        today().and_hms_opt(12, 0, 0).unwrap()
    }

    fn type_text(form: &mut Form, text: &str) {
        text.chars().for_each(|c| form.apply(Action::Insert(c)));
    }

    fn target() -> Target {
        Target {
            id: 7,
            name: "Ana".into(),
        }
    }

    #[test]
    fn purchase_needs_a_valid_amount_and_keeps_the_item() {
        let config = Config::default();
        let mut form = Form::log(InteractionKind::Purchase, target(), &config);
        let err = form.validate(today(), noon(), &config).unwrap_err();
        assert_eq!(err.field, Some(0));
        type_text(&mut form, "-5");
        assert!(form
            .validate(today(), noon(), &config)
            .unwrap_err()
            .message
            .contains("negative"));
        form.apply(Action::ClearLine);
        type_text(&mut form, "1,200.50");
        form.apply(Action::NextField);
        type_text(&mut form, "Website");
        form.apply(Action::NextField);
        type_text(&mut form, "3d");
        let Submission::Log { new, .. } = form.validate(today(), noon(), &config).unwrap() else {
            panic!("a log")
        };
        assert_eq!(
            (new.amount, new.item.as_deref(), new.contact_id),
            (Some(120_050), Some("Website"), 7)
        );
        assert_eq!(
            new.occurred_at.date(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
    }

    #[test]
    fn bad_date_and_bad_stars_point_at_their_field() {
        let config = Config::default();
        let mut form = Form::log(InteractionKind::Feedback, target(), &config);
        assert!(form
            .validate(today(), noon(), &config)
            .unwrap_err()
            .message
            .contains("ratings are missing"));
        type_text(&mut form, "5");
        form.apply(Action::NextField);
        type_text(&mut form, "9");
        let err = form.validate(today(), noon(), &config).unwrap_err();
        assert_eq!(err.field, Some(1));
        assert!(err.message.contains("out of range"), "{}", err.message);
        form.apply(Action::DeleteBack);
        form.focus = form.fields.len() - 1;
        type_text(&mut form, "someday");
        let err = form.validate(today(), noon(), &config).unwrap_err();
        assert_eq!(err.field, Some(form.fields.len() - 1));
    }

    #[test]
    fn contact_needs_a_name_and_a_real_email() {
        let mut form = Form::add_contact();
        let config = Config::default();
        assert_eq!(
            form.validate(today(), noon(), &config).unwrap_err().field,
            Some(0)
        );
        type_text(&mut form, "Bo Chen");
        form.apply(Action::NextField);
        type_text(&mut form, "not-an-email");
        assert_eq!(
            form.validate(today(), noon(), &config).unwrap_err().field,
            Some(1)
        );
        form.apply(Action::ClearLine);
        type_text(&mut form, "bo@x.io");
        form.focus = 4;
        type_text(&mut form, "vip, web");
        let Submission::Add(fields) = form.validate(today(), noon(), &config).unwrap() else {
            panic!("an add")
        };
        assert_eq!(
            fields.tags,
            Some(vec!["vip".to_string(), "web".to_string()])
        );
    }
}
