//! Colours from the 16-colour palette only, and none at all when NO_COLOR is set.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// Segment marker colours, in segment order.
const SERIES: [Color; 6] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::Blue,
    Color::Red,
];

impl Theme {
    /// Colour unless NO_COLOR is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn plain(&self) -> Style {
        Style::default()
    }

    /// The selected row: reversed, so it shows without colour too.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// A change for the better (green) or the worse (red), plain when neither. Without colour
    /// the arrow beside the figure still says which way it went.
    pub fn change(&self, better: Option<bool>) -> Style {
        match better {
            Some(true) => self.fg(Color::Green),
            Some(false) => self.fg(Color::Red),
            None => self.plain(),
        }
    }

    pub fn header_row(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn stage(&self, stage: Stage) -> Style {
        match stage {
            Stage::Lead => self.fg(Color::Blue),
            Stage::New => self.fg(Color::Cyan),
            Stage::Active => self.fg(Color::Green),
            Stage::Loyal => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Stage::AtRisk => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Stage::Churned => self.fg(Color::Red),
        }
    }

    /// Red from 50 % churn, yellow from 30 %.
    pub fn churn(&self, p: f64) -> Style {
        if p >= 0.5 {
            self.fg(Color::Red)
        } else if p >= 0.3 {
            self.fg(Color::Yellow)
        } else {
            self.plain()
        }
    }

    pub fn series(&self, index: usize) -> Style {
        self.fg(SERIES[index % SERIES.len()])
    }

    /// Scatter markers per segment: without colour, the marker shape tells segments apart.
    pub fn series_marker(&self, index: usize) -> ratatui::symbols::Marker {
        use ratatui::symbols::Marker;
        if self.color {
            Marker::Braille
        } else {
            [Marker::Braille, Marker::Dot, Marker::Block, Marker::Bar][index % 4]
        }
    }
}
