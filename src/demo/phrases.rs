//! What the freelancer writes in the summary of a call, email, meeting or note.
//! `{item}` is a service, `{topic}` a small subject, `{first}` the client's first name.

use rand::Rng;

use super::rng::{pick, DemoRng};

pub const TOPICS: [&str; 14] = [
    "analytics",
    "hosting",
    "the contact form",
    "page speed",
    "the domain renewal",
    "the cookie banner",
    "social media images",
    "the newsletter signup",
    "the mobile layout",
    "image licences",
    "the booking widget",
    "the staging site",
    "search rankings",
    "the product photos",
];

pub const FIRST_TOUCH: [(u8, &str); 5] = [
    (b'e', "Enquiry via the website contact form"),
    (b'c', "Intro call"),
    (b'e', "Asked for a quote"),
    (b'm', "Met at a local business meetup"),
    (b'm', "Met at a design conference"),
];

pub const BACKGROUND_EMAIL: [&str; 11] = [
    "Quick question about {topic}",
    "Sent a short report on {topic}",
    "Re: {topic}",
    "Shared ideas for {topic}",
    "Asked about {topic}",
    "Thanks for the update",
    "Sent login details for {topic}",
    "Forwarded a quote for {topic}",
    "Confirmed the changes to {topic}",
    "Sent a screenshot of {topic}",
    "Reminder: content needed for {topic}",
];
pub const BACKGROUND_CALL: [&str; 7] = [
    "Catch-up call",
    "Call about {topic}",
    "Support call: {topic}",
    "Quick call about the {item}",
    "Talked through next steps",
    "Walked {first} through {topic}",
    "Call about a new idea for {topic}",
];
pub const BACKGROUND_MEETING: [&str; 6] = [
    "Coffee with {first}",
    "Quarterly review",
    "Planning session for next quarter",
    "Review meeting at their office",
    "Lunch with {first}",
    "Workshop prep meeting",
];
pub const BACKGROUND_NOTE: [&str; 8] = [
    "{first} is on holiday next week",
    "Mentioned a possible {item} project",
    "Needs {topic} sorted before launch",
    "Follow up about {topic}",
    "Recommended a photographer for {topic}",
    "{first} wants to revisit {topic} next month",
    "Logged hours on {topic}",
    "Checked {topic} after the update",
];
pub const COOLING: [&str; 6] = [
    "No reply to last email",
    "Seemed unhappy about {topic}",
    "Asked for a discount",
    "Complained about the response time",
    "Said they are reviewing their suppliers",
    "Postponed the planning call again",
];
pub const PROGRESS: [&str; 5] = [
    "Progress update on the {item}",
    "Sent a draft of the {item} for review",
    "Question about the {item} content",
    "Revisions requested on the {item}",
    "Shared a preview of the {item}",
];
pub const FADE: [&str; 6] = [
    "Sent the newsletter",
    "Checked in, no reply",
    "Win-back offer sent",
    "Asked for feedback on the last project",
    "Left a voicemail",
    "Season's greetings",
];
pub const LEAD_FOLLOW_UP: [&str; 4] = [
    "Follow-up on the proposal",
    "Sent portfolio",
    "Call about budget",
    "Answered questions about the {item}",
];
pub const LEAD_DECLINED: [&str; 4] = [
    "Proposal declined: budget",
    "Proposal declined: went with an agency",
    "Project postponed indefinitely",
    "Decided to do it in-house",
];
pub const SIGN_OFF: [&str; 4] = [
    "Quote accepted",
    "50% deposit paid",
    "Signed the proposal",
    "Paid in full",
];

/// Fills the placeholders of a template.
pub fn fill(template: &str, item: &str, first: &str, rng: &mut DemoRng) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let mut text = template.replace("{item}", &item.to_lowercase());
    if text.contains("{topic}") {
        text = text.replace("{topic}", pick(rng, &TOPICS));
    }
    text.replace("{first}", first)
}

/// A feedback summary matching the stars given.
pub fn feedback_summary(mean_stars: f64, item: &str, rng: &mut DemoRng) -> String {
    let item = item.to_lowercase();
    let text = if mean_stars >= 4.5 {
        ["Delighted with the {}", "Glowing review of the {}"][rng.gen_range(0..2)]
    } else if mean_stars >= 3.5 {
        ["Happy with the {}", "Good feedback on the {}"][rng.gen_range(0..2)]
    } else if mean_stars >= 2.5 {
        ["Mixed feelings about the {}", "Some concerns about the {}"][rng.gen_range(0..2)]
    } else {
        ["Unhappy with the {}", "Complaint about the {}"][rng.gen_range(0..2)]
    };
    text.replace("{}", &item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn placeholders_are_always_filled() {
        let mut rng = DemoRng::seed_from_u64(1);
        let lists: [&[&str]; 10] = [
            &BACKGROUND_EMAIL,
            &BACKGROUND_CALL,
            &BACKGROUND_MEETING,
            &BACKGROUND_NOTE,
            &COOLING,
            &PROGRESS,
            &FADE,
            &LEAD_FOLLOW_UP,
            &LEAD_DECLINED,
            &SIGN_OFF,
        ];
        for template in lists.iter().flat_map(|l| l.iter()) {
            let text = fill(template, "Logo design", "Ana", &mut rng);
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
        assert_eq!(
            fill("Coffee with {first}", "x", "Ana", &mut rng),
            "Coffee with Ana"
        );
        let unhappy = feedback_summary(1.0, "Logo design", &mut rng);
        assert!(
            unhappy.contains("logo design") && !unhappy.contains("{}"),
            "{unhappy}"
        );
    }
}
