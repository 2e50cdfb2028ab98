//! The profile fields Gan7Club's signup and profile forms send, and their rules, shared by
//! `POST /api/register/` and `POST /api/profile/<kind>/`. An empty string means "unset": the
//! profile forms send `gender: ''` for every user without one, and the signup's selects start
//! empty.

use chrono::NaiveDate;
use serde_json::Value;

use crate::validate::FieldErrors;

pub const MAX_COUNTRY_CHARS: usize = 25;
const MAX_NAME_CHARS: usize = 150;
const MAX_PHONE_CHARS: usize = 32;
const MAX_CITY_CHARS: usize = 100;
const MAX_ABOUT_CHARS: usize = 5_000;
/// The choices, as stored; input matches them in any case, and "Prefer not to say" (the
/// label the forms show) is the last one.
pub const GENDERS: [&str; 4] = ["Male", "Female", "Other", "prefer_not_to_say"];

/// A field as sent: absent (leave it), empty (clear it), or a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }
}

/// What the forms can change on a Gan7Club profile and its account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFields {
    pub first_name: Change<String>,
    pub last_name: Change<String>,
    pub phone: Change<String>,
    pub city: Change<String>,
    pub aboutyou: Change<String>,
    pub country: Change<String>,
    pub residency: Change<String>,
    pub date_of_birth: Change<NaiveDate>,
    pub gender: Change<String>,
}

impl ProfileFields {
    /// Reads and checks every field of `body` (a JSON object, or a form's text fields as one),
    /// adding each problem to `errors` under its field.
    pub fn read(body: &Value, errors: &mut FieldErrors) -> ProfileFields {
        let text = |name: &str| match body.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_owned()),
            Some(other) => Some(other.to_string()),
        };
        let mut bounded = |name: &str, max: usize| match text(name) {
            None => Change::Keep,
            Some(value) if value.is_empty() => Change::Clear,
            Some(value) if value.chars().count() > max => {
                errors.add(
                    name,
                    format!("Ensure this field has no more than {max} characters."),
                );
                Change::Keep
            }
            Some(value) => Change::Set(value),
        };
        let first_name = bounded("first_name", MAX_NAME_CHARS);
        let last_name = bounded("last_name", MAX_NAME_CHARS);
        let phone = bounded("phone", MAX_PHONE_CHARS);
        let city = bounded("city", MAX_CITY_CHARS);
        let aboutyou = bounded("aboutyou", MAX_ABOUT_CHARS);
        let country = bounded("country", MAX_COUNTRY_CHARS);
        let residency = bounded("residency", MAX_COUNTRY_CHARS);
        ProfileFields {
            first_name,
            last_name,
            phone,
            city,
            aboutyou,
            country,
            residency,
            date_of_birth: date_of_birth(text("date_of_birth"), errors),
            gender: gender(text("gender"), errors),
        }
    }

    /// True when the body changes nothing.
    pub fn is_empty(&self) -> bool {
        self.first_name.is_keep()
            && self.last_name.is_keep()
            && self.phone.is_keep()
            && self.city.is_keep()
            && self.aboutyou.is_keep()
            && self.country.is_keep()
            && self.residency.is_keep()
            && self.date_of_birth.is_keep()
            && self.gender.is_keep()
    }
}

fn date_of_birth(sent: Option<String>, errors: &mut FieldErrors) -> Change<NaiveDate> {
    let Some(raw) = sent else {
        return Change::Keep;
    };
    if raw.is_empty() {
        return Change::Clear;
    }
    // The signup's day select runs to 31 in every month: `2001-02-31` must be refused.
    match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        Ok(date) if date <= chrono::Utc::now().date_naive() => Change::Set(date),
        Ok(_) => {
            errors.add("date_of_birth", "Date of birth cannot be in the future.");
            Change::Keep
        }
        Err(_) => {
            errors.add(
                "date_of_birth",
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            );
            Change::Keep
        }
    }
}

fn gender(sent: Option<String>, errors: &mut FieldErrors) -> Change<String> {
    let Some(raw) = sent else {
        return Change::Keep;
    };
    if raw.is_empty() {
        return Change::Clear;
    }
    let spoken = raw.to_ascii_lowercase().replace([' ', '-'], "_");
    match GENDERS.iter().find(|g| g.eq_ignore_ascii_case(&spoken)) {
        Some(g) => Change::Set((*g).to_owned()),
        None => {
            errors.add("gender", format!("\"{raw}\" is not a valid choice."));
            Change::Keep
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value) -> (ProfileFields, FieldErrors) {
        let mut errors = FieldErrors::default();
        (ProfileFields::read(&body, &mut errors), errors)
    }

    #[test]
    fn empty_strings_clear_and_absent_fields_stay() {
        let (fields, errors) = read(json!({"gender": "", "country": "", "date_of_birth": ""}));
        assert!(errors.is_empty());
        assert_eq!(
            (
                fields.gender,
                fields.country,
                fields.date_of_birth,
                fields.city
            ),
            (Change::Clear, Change::Clear, Change::Clear, Change::Keep)
        );
    }

    #[test]
    fn every_spelling_of_prefer_not_to_say_is_one_choice() {
        for spelling in [
            "prefer_not_to_say",
            "Prefer not to say",
            "PREFER-NOT-TO-SAY",
        ] {
            let (fields, errors) = read(json!({ "gender": spelling }));
            assert!(errors.is_empty(), "{spelling}");
            assert_eq!(fields.gender, Change::Set("prefer_not_to_say".into()));
        }
        let (fields, _) = read(json!({"gender": "female"}));
        assert_eq!(fields.gender, Change::Set("Female".into()));
    }

    #[test]
    fn impossible_dates_and_unknown_genders_are_field_errors() {
        let (_, errors) = read(json!({"date_of_birth": "2001-02-31", "gender": "robot"}));
        assert_eq!(
            errors.into_error().body(),
            json!({
                "date_of_birth": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
                "gender": ["\"robot\" is not a valid choice."]
            })
        );
    }
}
