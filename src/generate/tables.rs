//! The world the generators draw from: countries, product families, market regions.

/// A country sites can be in: code, share of sites, production cost factor, typical
/// cities, lead time to North America (periods), tariff into the US.
pub(super) struct Country {
    pub(super) code: &'static str,
    pub(super) weight: f64,
    pub(super) cost_factor: f64,
    pub(super) cities: &'static [&'static str],
    pub(super) lead: usize,
    pub(super) us_tariff: f64,
}

pub(super) const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        weight: 0.34,
        cost_factor: 1.0,
        cities: &[
            "hagerstown",
            "richmond",
            "allentown",
            "greenville",
            "toledo",
            "knoxville",
            "dayton",
            "tulsa",
            "reno",
            "huntsville",
        ],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "MX",
        weight: 0.2,
        cost_factor: 0.74,
        cities: &[
            "monterrey",
            "saltillo",
            "queretaro",
            "juarez",
            "tijuana",
            "puebla",
        ],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "CA",
        weight: 0.1,
        cost_factor: 1.04,
        cities: &["windsor", "guelph", "oshawa", "laval", "calgary"],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "CN",
        weight: 0.1,
        cost_factor: 0.6,
        cities: &["shenzhen", "suzhou", "ningbo", "chongqing"],
        lead: 2,
        us_tariff: 0.25,
    },
    Country {
        code: "VN",
        weight: 0.08,
        cost_factor: 0.56,
        cities: &["haiphong", "binh-duong", "bac-ninh"],
        lead: 2,
        us_tariff: 0.1,
    },
    Country {
        code: "IN",
        weight: 0.04,
        cost_factor: 0.6,
        cities: &["chennai", "pune", "sanand"],
        lead: 3,
        us_tariff: 0.08,
    },
    Country {
        code: "KR",
        weight: 0.05,
        cost_factor: 0.86,
        cities: &["ulsan", "gumi", "cheongju"],
        lead: 1,
        us_tariff: 0.02,
    },
    Country {
        code: "JP",
        weight: 0.04,
        cost_factor: 0.95,
        cities: &["nagoya", "kumamoto", "hiroshima"],
        lead: 1,
        us_tariff: 0.025,
    },
    Country {
        code: "TW",
        weight: 0.03,
        cost_factor: 0.82,
        cities: &["hsinchu", "taichung"],
        lead: 2,
        us_tariff: 0.05,
    },
    Country {
        code: "DE",
        weight: 0.02,
        cost_factor: 1.06,
        cities: &["zwickau", "dresden"],
        lead: 1,
        us_tariff: 0.03,
    },
];

pub(super) const US: usize = 0;
pub(super) const MX: usize = 1;
pub(super) const CN: usize = 3;

pub(super) fn is_usmca(country: usize) -> bool {
    country <= 2
}

/// Product families: name, unit value ($), hours per unit, critical.
pub(super) const FAMILIES: &[(&str, f64, f64, bool)] = &[
    ("battery-module", 1200.0, 2.0, true),
    ("drive-unit", 900.0, 3.0, false),
    ("power-chip", 140.0, 0.4, true),
    ("inverter", 420.0, 1.2, false),
    ("wire-harness", 85.0, 0.9, false),
    ("rare-earth-magnet", 60.0, 0.3, true),
    ("brake-module", 210.0, 0.8, false),
    ("seat-frame", 130.0, 1.1, false),
    ("sensor-pack", 95.0, 0.5, false),
    ("cell-pouch", 35.0, 0.15, true),
    ("gearbox", 650.0, 2.6, false),
    ("display-unit", 180.0, 0.7, false),
];

/// Market regions: id, country index.
pub(super) const MARKETS: &[(&str, usize)] = &[
    ("us-east", 0),
    ("us-central", 0),
    ("us-west", 0),
    ("mx-north", 1),
    ("ca-east", 2),
    ("us-south", 0),
    ("mx-bajio", 1),
    ("us-northeast", 0),
    ("ca-west", 2),
    ("us-midwest", 0),
    ("us-southwest", 0),
    ("mx-central", 1),
];
