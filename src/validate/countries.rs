//! ISO 3166-1 alpha-2 country codes, to warn about likely typos such as `USA` or `MEX`.

const ISO_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM \
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE \
NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA \
UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Common three-letter codes people write instead of the two-letter ones.
const ALPHA3_HINTS: &[(&str, &str)] = &[
    ("USA", "US"),
    ("MEX", "MX"),
    ("CAN", "CA"),
    ("CHN", "CN"),
    ("VNM", "VN"),
    ("KOR", "KR"),
    ("JPN", "JP"),
    ("DEU", "DE"),
    ("IND", "IN"),
    ("TWN", "TW"),
    ("GBR", "GB"),
    ("FRA", "FR"),
    ("BRA", "BR"),
];

pub fn is_known(code: &str) -> bool {
    code.len() == 2 && ISO_ALPHA2.split(' ').any(|c| c == code)
}

/// A suggestion for an unknown code, e.g. `USA` → `US`.
pub fn suggestion(code: &str) -> Option<&'static str> {
    let upper = code.to_uppercase();
    if is_known(&upper) {
        return ISO_ALPHA2.split(' ').find(|c| *c == upper);
    }
    ALPHA3_HINTS
        .iter()
        .find(|(three, _)| *three == upper)
        .map(|(_, two)| *two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_codes_and_suggests() {
        assert!(is_known("US") && is_known("MX") && is_known("VN"));
        assert!(!is_known("USA") && !is_known("us"));
        assert_eq!(suggestion("USA"), Some("US"));
        assert_eq!(suggestion("mx"), Some("MX"));
        assert_eq!(suggestion("XX"), None);
    }
}
