//! Where everything goes on screen, as pure functions of the terminal size, so the update
//! function (paging) and the renderer (drawing) always agree on how many rows are visible.

use ratatui::layout::{Constraint, Layout, Rect};

use super::action::Tab;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width the Contacts detail sits beside the table instead of under it.
const SIDE_BY_SIDE_WIDTH: u16 = 120;
/// Below this body height the Contacts and At-risk detail panes are left out.
const DETAIL_MIN_BODY: u16 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
    pub status: Rect,
}

/// The four bands of the screen, or None when the terminal is smaller than the minimum.
pub fn screen(area: Rect) -> Option<Screen> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Some(Screen {
        header,
        body,
        footer,
        status,
    })
}

/// Table and detail pane of the Contacts tab.
pub fn contacts(body: Rect, expanded: bool) -> (Option<Rect>, Option<Rect>) {
    if expanded {
        return (None, Some(body));
    }
    if body.width >= SIDE_BY_SIDE_WIDTH {
        let [table, detail] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        return (Some(table), Some(detail));
    }
    if body.height < DETAIL_MIN_BODY {
        return (Some(body), None);
    }
    let [table, detail] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    (Some(table), Some(detail))
}

/// Table and the selected client's explanation on the At-risk tab.
pub fn at_risk(body: Rect) -> (Rect, Option<Rect>) {
    if body.height < DETAIL_MIN_BODY {
        return (body, None);
    }
    let [table, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(6)]).areas(body);
    (table, Some(detail))
}

/// Segment table on top (or at the left when wide), charts below (or at the right).
pub fn segments(body: Rect, segments: usize) -> (Rect, Option<(Rect, Rect)>) {
    if body.height < DETAIL_MIN_BODY {
        return (body, None);
    }
    let charts_row = |area: Rect| {
        let [scatter, histogram] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(area);
        (scatter, histogram)
    };
    if body.width >= SIDE_BY_SIDE_WIDTH {
        let [table, charts] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        let [scatter, histogram] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(charts);
        return (table, Some((scatter, histogram)));
    }
    // Table: header, rows, the selected segment's "wants" line and borders; at most half the body.
    let wanted = segments.clamp(1, 200) as u16 + 4;
    let table_height = wanted.min(body.height / 2).max(5);
    let [table, charts] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Fill(1)]).areas(body);
    (table, Some(charts_row(charts)))
}

/// Columns of one headline figure on the Overview (label, value and change).
pub const OVERVIEW_FIGURE: u16 = 38;
/// Months the Overview's charts show at most.
pub const OVERVIEW_MONTHS: u16 = 24;

/// The Overview's blocks: the headline figures on top; under them, when there is room, the
/// revenue bars, then the trends beside revenue by client and service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverviewAreas {
    pub headline: Rect,
    /// Headline figures side by side.
    pub columns: u16,
    pub charts: Option<OverviewCharts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverviewCharts {
    pub bars: Rect,
    pub trends: Rect,
    pub mix: Rect,
}

pub fn overview(body: Rect, figures: usize) -> OverviewAreas {
    let columns = (body.width.saturating_sub(2) / OVERVIEW_FIGURE).clamp(1, 3);
    let headline_height = (figures as u16).div_ceil(columns) + 2;
    if body.height < headline_height + DETAIL_MIN_BODY / 2 {
        return OverviewAreas {
            headline: body,
            columns,
            charts: None,
        };
    }
    let [headline, rest] =
        Layout::vertical([Constraint::Length(headline_height), Constraint::Fill(1)]).areas(body);
    let [bars, bottom] = Layout::vertical([
        Constraint::Length((rest.height * 45 / 100).max(5)),
        Constraint::Fill(1),
    ])
    .areas(rest);
    // On one line each, the trends want their names and values beside every month.
    let trends_width = (bottom.width / 2)
        .max(crate::tui::widgets::charts::TREND_LABEL + OVERVIEW_MONTHS + 2)
        .min(bottom.width.saturating_sub(30));
    let [trends, mix] =
        Layout::horizontal([Constraint::Length(trends_width), Constraint::Fill(1)]).areas(bottom);
    OverviewAreas {
        headline,
        columns,
        charts: Some(OverviewCharts { bars, trends, mix }),
    }
}

/// Lines inside the Today list that a section title may take instead of an item.
pub const TODAY_SECTION_LINES: usize = 4;

/// Data rows visible in a tab's table (borders and the header row taken off; on Today, the
/// borders and a line for each section title).
pub fn list_rows(tab: Tab, size: (u16, u16), expanded: bool) -> usize {
    let Some(screen) = screen(Rect::new(0, 0, size.0, size.1)) else {
        return 1;
    };
    if tab == Tab::Today {
        let lines = screen.body.height.saturating_sub(2) as usize;
        return lines.saturating_sub(TODAY_SECTION_LINES).max(1);
    }
    let table = match tab {
        Tab::Today | Tab::Overview => None,
        Tab::Contacts => contacts(screen.body, expanded).0,
        Tab::Interactions => Some(screen.body),
        Tab::AtRisk => Some(at_risk(screen.body).0),
        Tab::Segments => Some(segments(screen.body, usize::MAX).0),
    };
    let rows = table
        .map(|t| t.height.saturating_sub(3) as usize)
        .unwrap_or(1);
    // The segments table keeps one line for the selected segment's wants.
    if tab == Tab::Segments {
        rows.saturating_sub(1).max(1)
    } else {
        rows.max(1)
    }
}

/// A centred rectangle of at most `width` × `height` inside `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_has_no_screen_and_every_size_has_rows() {
        assert!(screen(Rect::new(0, 0, 39, 24)).is_none());
        assert!(screen(Rect::new(0, 0, 80, 9)).is_none());
        for w in [40, 80, 200] {
            for h in [10, 24, 60] {
                for tab in Tab::ALL {
                    assert!(list_rows(tab, (w, h), false) >= 1);
                }
            }
        }
        assert_eq!(list_rows(Tab::Interactions, (80, 24), false), 21 - 3);
    }
}
