//! Boxes drawn over the body: the quick-log form and the pager (help, command output).

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::text::{clip, pad, safe, wrap};
use crate::tui::form::Form;
use crate::tui::layout::centred;
use crate::tui::state::Pager;
use crate::tui::theme::Theme;

/// Blanks `rect` for a popup. A wide character just left of it would spill over the popup's left
/// border, so it is blanked too.
pub fn clear(frame: &mut Frame, rect: Rect) {
    frame.render_widget(Clear, rect);
    if rect.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        let cell = &mut buffer[(rect.x - 1, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// The form: one line per field, the error under them, the cursor in the focused field.
pub fn form(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(64);
    let inner_width = width.saturating_sub(2) as usize;
    let error_lines: Vec<String> = form
        .error
        .as_ref()
        .map(|e| wrap(&safe(&e.message), inner_width))
        .unwrap_or_default();
    let height = (form.fields.len() + error_lines.len() + 3) as u16;
    let rect = centred(area, width, height);
    clear(frame, rect);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", clip(&form.title(), inner_width.saturating_sub(2))),
        theme.title(),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.width())
        .max()
        .unwrap_or(0)
        .min(inner_width / 2);
    let value_width = inner_width.saturating_sub(label_width + 1);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focus;
        let in_error = form.error.as_ref().is_some_and(|e| e.field == Some(index));
        let label_style = if in_error {
            theme.error()
        } else if focused {
            theme.key()
        } else {
            theme.plain()
        };
        let text = field.input.text();
        // Keep the cursor visible in a long value by showing its tail.
        let before_cursor: String = text.chars().take(field.input.cursor()).collect();
        let shown = if before_cursor.width() + 1 > value_width {
            let skip = before_cursor.width() + 1 - value_width;
            let mut cut = 0;
            let tail: String = text
                .chars()
                .skip_while(|c| {
                    let keep_skipping = cut < skip;
                    cut += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                    keep_skipping
                })
                .collect();
            tail
        } else {
            text.to_string()
        };
        // An empty field shows its default or an example, focused too (the cursor sits on it).
        let value = if text.is_empty() {
            Span::styled(pad(&field.placeholder, value_width), theme.dim())
        } else {
            let style = if focused {
                theme.selected()
            } else {
                theme.plain()
            };
            Span::styled(pad(&safe(&shown), value_width), style)
        };
        if focused {
            let col = (before_cursor.width().min(value_width.saturating_sub(1))) as u16;
            cursor = Some(Position::new(
                inner.x + label_width as u16 + 1 + col,
                inner.y + index as u16,
            ));
        }
        lines.push(Line::from(vec![
            Span::styled(pad(&field.label, label_width), label_style),
            Span::raw(" "),
            value,
        ]));
    }
    lines.push(Line::from(Span::styled(
        clip("tab next · enter save · esc cancel", inner_width),
        theme.dim(),
    )));
    lines.extend(
        error_lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.error()))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

/// A scrollable text box nearly the size of the body.
pub fn pager(frame: &mut Frame, area: Rect, pager: &Pager, theme: &Theme) {
    let rect = centred(
        area,
        area.width.saturating_sub(4).max(10),
        area.height.saturating_sub(2).max(3),
    );
    clear(frame, rect);
    let inner_height = rect.height.saturating_sub(2) as usize;
    let total = pager.lines.len();
    let position = if total > inner_height {
        format!(" {}/{} ", (pager.scroll + 1).min(total), total)
    } else {
        String::new()
    };
    let block = Block::bordered()
        .title(Span::styled(
            format!(
                " {} ",
                clip(&pager.title, rect.width.saturating_sub(4) as usize)
            ),
            theme.title(),
        ))
        .title_bottom(
            Line::from(Span::styled(format!(" esc close{}", position), theme.dim()))
                .right_aligned(),
        );
    let inner_width = block.inner(rect).width as usize;
    let lines: Vec<Line> = pager
        .lines
        .iter()
        .skip(pager.scroll)
        .take(inner_height)
        .map(|l| Line::from(clip(&safe(l), inner_width)))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
