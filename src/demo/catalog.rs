//! The freelancer's services and the kinds of client who buy them.

/// Groups of related services; a client leans towards one or two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Web,
    Design,
    Content,
    Dev,
    Consulting,
    Ongoing,
}

impl Group {
    /// The groups a client can lean towards (ongoing work is chosen separately).
    pub const SECTORS: [Group; 5] = [
        Group::Web,
        Group::Design,
        Group::Content,
        Group::Dev,
        Group::Consulting,
    ];

    /// The tag a freelancer would put on such a client.
    pub fn tag(self) -> &'static str {
        match self {
            Group::Web => "web",
            Group::Design => "design",
            Group::Content => "content",
            Group::Dev => "dev",
            Group::Consulting => "consulting",
            Group::Ongoing => "ongoing",
        }
    }
}

/// One service with its price range in major units and how long the work takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Service {
    pub name: &'static str,
    pub group: Group,
    pub min_price: f64,
    pub max_price: f64,
    pub min_days: u32,
    pub max_days: u32,
}

impl Service {
    pub fn mid_price(&self) -> f64 {
        (self.min_price + self.max_price) / 2.0
    }
}

const fn service(
    name: &'static str,
    group: Group,
    prices: (f64, f64),
    days: (u32, u32),
) -> Service {
    Service {
        name,
        group,
        min_price: prices.0,
        max_price: prices.1,
        min_days: days.0,
        max_days: days.1,
    }
}

pub const SERVICES: [Service; 16] = [
    service("Website redesign", Group::Web, (2500.0, 9000.0), (30, 75)),
    service("Landing page", Group::Web, (600.0, 1800.0), (7, 20)),
    service("E-commerce setup", Group::Web, (4000.0, 14000.0), (40, 90)),
    service("Logo design", Group::Design, (400.0, 1500.0), (7, 21)),
    service("Brand identity", Group::Design, (1500.0, 5000.0), (20, 45)),
    service("UI/UX design", Group::Design, (1200.0, 6000.0), (14, 40)),
    service("Copywriting", Group::Content, (300.0, 1200.0), (5, 15)),
    service("SEO audit", Group::Content, (500.0, 1500.0), (5, 14)),
    service("Custom web app", Group::Dev, (8000.0, 30000.0), (60, 120)),
    service("API integration", Group::Dev, (1000.0, 4000.0), (10, 30)),
    service("Bug fixing", Group::Dev, (150.0, 800.0), (1, 5)),
    service(
        "Consulting session",
        Group::Consulting,
        (150.0, 600.0),
        (0, 1),
    ),
    service("Workshop", Group::Consulting, (900.0, 2500.0), (1, 7)),
    service(
        "Maintenance retainer",
        Group::Ongoing,
        (300.0, 900.0),
        (0, 0),
    ),
    service("SEO retainer", Group::Ongoing, (400.0, 1200.0), (0, 0)),
    // Newer than the rest: clients only ask for it lately (see `story`).
    service("AI automation", Group::Dev, (2000.0, 7000.0), (10, 30)),
];

pub const MAINTENANCE_RETAINER: usize = 13;
pub const SEO_RETAINER: usize = 14;
pub const AI_AUTOMATION: usize = 15;

/// The position of the service called `name` in [`SERVICES`].
pub fn service_index(name: &str) -> usize {
    SERVICES
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service called {name}"))
}

/// The kind of client, with its own buying rhythm and spend; hidden from the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Persona {
    /// Pays a monthly retainer, sometimes with extra work on the same invoice.
    Retainer,
    /// A project every two to four months.
    Regular,
    /// A large project once or twice a year.
    BigProject,
    /// Bought once and never again.
    OneTime,
    /// Talked to the freelancer but never bought.
    Lead,
}

impl Persona {
    pub const ALL: [Persona; 5] = [
        Persona::Retainer,
        Persona::Regular,
        Persona::BigProject,
        Persona::OneTime,
        Persona::Lead,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Persona::Retainer => "retainer",
            Persona::Regular => "regular",
            Persona::BigProject => "big project",
            Persona::OneTime => "one-time",
            Persona::Lead => "lead",
        }
    }

    pub fn buys(self) -> bool {
        self != Persona::Lead
    }

    pub fn repeats(self) -> bool {
        matches!(
            self,
            Persona::Retainer | Persona::Regular | Persona::BigProject
        )
    }
}

impl std::fmt::Display for Persona {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// How a persona behaves; all durations in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rhythm {
    /// Share of all contacts.
    pub share: f64,
    /// Range of a client's own mean interval between buying occasions.
    pub interval: (f64, f64),
    /// Spread of one interval relative to the client's mean.
    pub cv: f64,
    /// Mean time from the first purchase to churning (for a client of average satisfaction).
    pub lifetime: f64,
    /// Spend relative to list prices.
    pub spend: f64,
    /// Everyday calls, emails, meetings and notes per day while the client is active.
    pub touches_per_day: f64,
    /// Chance of a feedback entry after a buying occasion.
    pub feedback: f64,
    /// Chance of a second service bought on the same day.
    pub add_on: f64,
}

pub fn rhythm(persona: Persona) -> Rhythm {
    let base = Rhythm {
        share: 0.0,
        interval: (f64::INFINITY, f64::INFINITY),
        cv: 0.0,
        lifetime: 1.0,
        spend: 1.0,
        touches_per_day: 0.0,
        feedback: 0.5,
        add_on: 0.05,
    };
    match persona {
        Persona::Retainer => Rhythm {
            share: 0.10,
            interval: (30.0, 30.0),
            cv: 0.08,
            lifetime: 1500.0,
            touches_per_day: 0.9,
            feedback: 0.12,
            add_on: 0.2,
            ..base
        },
        Persona::Regular => Rhythm {
            share: 0.22,
            interval: (60.0, 120.0),
            cv: 0.35,
            lifetime: 950.0,
            touches_per_day: 0.55,
            feedback: 0.35,
            ..base
        },
        Persona::BigProject => Rhythm {
            share: 0.08,
            interval: (150.0, 330.0),
            cv: 0.4,
            lifetime: 1100.0,
            spend: 1.3,
            touches_per_day: 0.2,
            feedback: 0.6,
            add_on: 0.08,
        },
        Persona::OneTime => Rhythm {
            share: 0.40,
            spend: 0.85,
            feedback: 0.4,
            add_on: 0.04,
            ..base
        },
        Persona::Lead => Rhythm {
            share: 0.20,
            ..base
        },
    }
}

/// How well a service suits a persona (before the client's own leaning).
pub fn suitability(persona: Persona, service: usize) -> f64 {
    // Columns follow SERVICES; ongoing work is never a one-off purchase.
    const REGULAR: [f64; 16] = [
        0.5, 1.0, 0.2, 0.6, 0.6, 0.8, 1.0, 0.8, 0.1, 0.8, 1.0, 0.8, 0.6, 0.0, 0.0, 1.0,
    ];
    const BIG: [f64; 16] = [
        1.0, 0.1, 1.0, 0.05, 0.7, 0.8, 0.05, 0.1, 1.0, 0.6, 0.05, 0.05, 0.4, 0.0, 0.0, 0.8,
    ];
    const ONE_TIME: [f64; 16] = [
        0.4, 1.0, 0.15, 1.0, 0.3, 0.3, 0.6, 0.8, 0.02, 0.3, 0.8, 1.0, 0.3, 0.0, 0.0, 0.8,
    ];
    const RETAINER_EXTRAS: [f64; 16] = [
        0.2, 0.6, 0.1, 0.2, 0.2, 0.3, 1.0, 0.5, 0.05, 0.5, 1.0, 0.5, 0.3, 0.0, 0.0, 1.0,
    ];
    let row = match persona {
        Persona::Retainer => &RETAINER_EXTRAS,
        Persona::Regular => &REGULAR,
        Persona::BigProject => &BIG,
        Persona::OneTime | Persona::Lead => &ONE_TIME,
    };
    row[service]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one_and_prices_are_ordered() {
        let total: f64 = Persona::ALL.iter().map(|p| rhythm(*p).share).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        for s in SERVICES {
            assert!(s.min_price > 0.0 && s.min_price < s.max_price, "{}", s.name);
            assert!(s.min_days <= s.max_days, "{}", s.name);
        }
        assert_eq!(SERVICES[MAINTENANCE_RETAINER].group, Group::Ongoing);
        assert_eq!(SERVICES[SEO_RETAINER].group, Group::Ongoing);
        assert_eq!(service_index(SERVICES[AI_AUTOMATION].name), AI_AUTOMATION);
    }

    #[test]
    fn every_buying_persona_can_buy_something() {
        for p in Persona::ALL {
            let any = (0..SERVICES.len()).any(|i| suitability(p, i) > 0.0);
            assert!(any, "{p}");
            assert_eq!(suitability(p, MAINTENANCE_RETAINER), 0.0);
        }
    }
}
