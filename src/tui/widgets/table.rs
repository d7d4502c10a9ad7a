//! Tables whose columns are chosen and sized for the width at hand: low-priority columns are
//! dropped on narrow terminals, and every cell is fitted by display width so wide names align.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Row, Table, TableState};
use ratatui::Frame;

use super::text::{pad, pad_left};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub enum Width {
    Fixed(u16),
    /// At least `min`, sharing what is left by `weight`.
    Flex {
        min: u16,
        weight: u16,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: Width,
    /// 0 is kept longest; higher numbers are dropped first when space runs out.
    pub priority: u8,
    pub right: bool,
}

impl Column {
    pub const fn fixed(title: &'static str, width: u16, priority: u8) -> Column {
        Column {
            title,
            width: Width::Fixed(width),
            priority,
            right: false,
        }
    }

    pub const fn number(title: &'static str, width: u16, priority: u8) -> Column {
        Column {
            title,
            width: Width::Fixed(width),
            priority,
            right: true,
        }
    }

    pub const fn flex(title: &'static str, min: u16, weight: u16, priority: u8) -> Column {
        Column {
            title,
            width: Width::Flex { min, weight },
            priority,
            right: false,
        }
    }

    fn min(&self) -> u16 {
        match self.width {
            Width::Fixed(w) => w,
            Width::Flex { min, .. } => min,
        }
    }
}

/// The width of each column in `available` columns (None: left out), with one space between.
pub fn fit_columns(columns: &[Column], available: u16) -> Vec<Option<u16>> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].priority, i));
    let mut kept = vec![false; columns.len()];
    let mut used: u16 = 0;
    for i in order {
        let need = columns[i].min() + if used == 0 { 0 } else { 1 };
        if used + need <= available {
            kept[i] = true;
            used += need;
        }
    }
    let spare = available - used;
    let weights: u16 = columns
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(c, _)| {
            if let Width::Flex { weight, .. } = c.width {
                weight
            } else {
                0
            }
        })
        .sum();
    let mut widths: Vec<Option<u16>> = columns
        .iter()
        .zip(&kept)
        .map(|(c, k)| {
            k.then(|| match c.width {
                Width::Fixed(w) => w,
                Width::Flex { min, weight } => {
                    min + (spare * weight).checked_div(weights).unwrap_or(0)
                }
            })
        })
        .collect();
    // Rounding leftovers go to the first flexible column so the table fills its width.
    let total: u16 = widths.iter().flatten().sum::<u16>()
        + (widths.iter().flatten().count() as u16).saturating_sub(1);
    if let Some(first_flex) = columns
        .iter()
        .zip(&widths)
        .position(|(c, w)| w.is_some() && matches!(c.width, Width::Flex { .. }))
    {
        if let Some(w) = widths[first_flex].as_mut() {
            *w += available.saturating_sub(total);
        }
    }
    widths
}

/// One table row: a cell per column (the same length as the columns), with optional styles.
pub type Cells = Vec<Span<'static>>;

/// Draws a table of fitted cells inside `block`, the row `selected` (window index) highlighted.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    columns: &[Column],
    rows: Vec<Cells>,
    selected: Option<usize>,
    theme: &Theme,
) {
    let inner = block.inner(area);
    let widths = fit_columns(columns, inner.width);
    let fit = |span: &Span<'static>, column: &Column, width: u16| -> Span<'static> {
        let text = if column.right {
            pad_left(&span.content, width as usize)
        } else {
            pad(&span.content, width as usize)
        };
        Span::styled(text, span.style)
    };
    let header = Row::new(
        columns
            .iter()
            .zip(&widths)
            .filter_map(|(c, w)| w.map(|w| Line::from(fit(&Span::raw(c.title), c, w))))
            .collect::<Vec<_>>(),
    )
    .style(theme.header_row());
    let body: Vec<Row> = rows
        .into_iter()
        .map(|cells| {
            Row::new(
                cells
                    .iter()
                    .zip(columns)
                    .zip(&widths)
                    .filter_map(|((span, c), w)| w.map(|w| Line::from(fit(span, c, w))))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(body, constraints)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_widths_drop_low_priority_columns_and_fill_the_rest() {
        let cols = [
            Column::flex("Name", 10, 2, 0),
            Column::fixed("Stage", 7, 2),
            Column::number("Churn", 5, 1),
            Column::flex("Company", 8, 1, 3),
        ];
        let wide = fit_columns(&cols, 78);
        assert!(wide.iter().all(Option::is_some));
        assert_eq!(wide.iter().flatten().sum::<u16>() + 3, 78);
        let narrow = fit_columns(&cols, 20);
        assert_eq!(narrow, [Some(14), None, Some(5), None]);
    }
}
