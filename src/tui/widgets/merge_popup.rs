//! The merge popup: which contact goes into which, why they look like one person, what a merge
//! would move (the dry run), the other candidates, and the keys.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::popup::clear;
use super::text::{clip, safe, wrap};
use crate::cli::merge::{counts, taken};
use crate::tui::layout::centred;
use crate::tui::merge::MergePrompt;
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, prompt: &MergePrompt, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(72);
    let inner_width = width.saturating_sub(2) as usize;
    let (keep, other) = prompt.sides();
    let candidate = prompt.candidate();
    let mut lines: Vec<Line> = Vec::new();
    let mut para = |text: String, style| {
        for line in wrap(&text, inner_width) {
            lines.push(Line::from(Span::styled(line, style)));
        }
    };
    para(
        format!(
            "Merge {} (#{}) into {} (#{})?",
            safe(&other.name),
            other.id,
            safe(&keep.name),
            keep.id
        ),
        theme.key(),
    );
    para(
        format!("Why: {}", safe(&candidate.reasons.join("; "))),
        theme.plain(),
    );
    let moves = match prompt.preview() {
        None => "Reading what would move…".to_string(),
        Some(Ok(merged)) => format!(
            "It moves {}{}; #{} is then erased, and a merge cannot be undone.",
            counts(merged),
            safe(&taken(merged, other.id)),
            other.id
        ),
        Some(Err(e)) => format!("Cannot merge these two: {}", safe(e)),
    };
    let moves_style = match prompt.preview() {
        Some(Err(_)) => theme.error(),
        _ => theme.plain(),
    };
    para(moves, moves_style);
    if prompt.candidates.len() > 1 {
        lines.push(Line::from(Span::styled(
            format!(
                "Likely duplicates of {} ({} of {}):",
                clip(&safe(&prompt.open.name), inner_width / 2),
                prompt.chosen + 1,
                prompt.candidates.len()
            ),
            theme.header_row(),
        )));
        for (i, d) in prompt.candidates.iter().enumerate() {
            let marker = if i == prompt.chosen { "›" } else { " " };
            let text = format!(
                "{marker} {} (#{}) · {}",
                safe(&d.name),
                d.id,
                safe(&d.reasons.join("; "))
            );
            let style = if i == prompt.chosen {
                theme.selected()
            } else {
                theme.plain()
            };
            lines.push(Line::from(Span::styled(clip(&text, inner_width), style)));
        }
    }
    let mut keys = format!("y merge · tab keep #{} instead", other.id);
    if prompt.candidates.len() > 1 {
        keys.push_str(" · up/down choose");
    }
    keys.push_str(" · n/esc cancel");
    for line in wrap(&keys, inner_width) {
        lines.push(Line::from(Span::styled(line, theme.dim())));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centred(area, width, height);
    clear(frame, rect);
    let block = Block::bordered().title(Span::styled(" Merge a likely duplicate ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
