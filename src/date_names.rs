//! Month names and date patterns per language, for showing dates in the
//! site's language (`language` in site.yaml). Where a language has no table
//! here, dates are shown in English and `site.yaml` gets a warning.

/// How dates are written in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct DateNames {
    /// The primary language subtag ("en", "uk").
    pub code: &'static str,
    /// Month names standing alone, as in "February 2022" (nominative).
    pub months: [&'static str; 12],
    /// Month names after a day, as in "24 February 2022" (genitive where the language has one).
    pub months_of: [&'static str; 12],
    /// A day and its month: `{d}` and `{m}` are replaced ("{d} {m}", "{d}. {m}", "{d} de {m}").
    pub day_month: &'static str,
    /// What joins a day-and-month or a month to its year (" ", " de ").
    pub year_joiner: &'static str,
    /// The prefix for approximate dates ("c. ").
    pub circa: &'static str,
    /// Weekday names, Monday first.
    pub weekdays: [&'static str; 7],
    /// Whether numbers are written in Arabic-Indic digits (٠١٢٣).
    pub arabic_digits: bool,
    /// What joins a date to its time ("24 February 2022, 05:00").
    pub time_joiner: &'static str,
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English, the default.
pub const EN: DateNames = DateNames {
    code: "en",
    months: EN_MONTHS,
    months_of: EN_MONTHS,
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "c. ",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const UK: DateNames = DateNames {
    code: "uk",
    months: [
        "січень",
        "лютий",
        "березень",
        "квітень",
        "травень",
        "червень",
        "липень",
        "серпень",
        "вересень",
        "жовтень",
        "листопад",
        "грудень",
    ],
    months_of: [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "бл. ",
    weekdays: [
        "понеділок",
        "вівторок",
        "середа",
        "четвер",
        "пʼятниця",
        "субота",
        "неділя",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const RU: DateNames = DateNames {
    code: "ru",
    months: [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    months_of: [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "ок. ",
    weekdays: [
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

const DE: DateNames = DateNames {
    code: "de",
    months: DE_MONTHS,
    months_of: DE_MONTHS,
    day_month: "{d}. {m}",
    year_joiner: " ",
    circa: "ca. ",
    weekdays: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const FR: DateNames = DateNames {
    code: "fr",
    months: FR_MONTHS,
    months_of: FR_MONTHS,
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "v. ",
    weekdays: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const ES: DateNames = DateNames {
    code: "es",
    months: ES_MONTHS,
    months_of: ES_MONTHS,
    day_month: "{d} de {m}",
    year_joiner: " de ",
    circa: "c. ",
    weekdays: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const PL: DateNames = DateNames {
    code: "pl",
    months: [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    months_of: [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "ok. ",
    weekdays: [
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
    ],
    arabic_digits: false,
    time_joiner: ", ",
};

const AR_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

const AR: DateNames = DateNames {
    code: "ar",
    months: AR_MONTHS,
    months_of: AR_MONTHS,
    day_month: "{d} {m}",
    year_joiner: " ",
    circa: "حوالي ",
    weekdays: [
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
    ],
    arabic_digits: false,
    time_joiner: "، ",
};

/// Arabic with Arabic-Indic digits (`digits: arabic`).
const AR_DIGITS: DateNames = DateNames {
    arabic_digits: true,
    ..AR
};

const ALL: [&DateNames; 8] = [&EN, &UK, &RU, &DE, &FR, &ES, &PL, &AR];

/// The names for a BCP 47 tag, by its primary subtag ("uk-UA" → Ukrainian).
pub fn for_language(tag: &str) -> Option<&'static DateNames> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ALL.into_iter().find(|n| n.code == primary)
}

/// The names for a tag, in Arabic-Indic digits when `arabic_digits` and
/// the language is Arabic.
pub fn for_language_digits(tag: &str, arabic_digits: bool) -> Option<&'static DateNames> {
    let names = for_language(tag)?;
    Some(if arabic_digits && names.code == "ar" {
        &AR_DIGITS
    } else {
        names
    })
}

/// The languages with date names, for messages.
pub fn known() -> String {
    ALL.iter().map(|n| n.code).collect::<Vec<_>>().join(", ")
}

impl DateNames {
    /// "24 February" (a day and its month, no year).
    pub fn day_month(&self, day: u32, month0: usize) -> String {
        self.day_month
            .replace("{d}", &day.to_string())
            .replace("{m}", self.months_of[month0])
    }

    /// "24 February 2022".
    pub fn day_month_year(&self, day: u32, month0: usize, year: i32) -> String {
        format!("{}{}{year}", self.day_month(day, month0), self.year_joiner)
    }

    /// "February 2022".
    pub fn month_year(&self, month0: usize, year: i32) -> String {
        format!("{}{}{year}", self.months[month0], self.year_joiner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_languages_by_primary_subtag() {
        assert_eq!(for_language("uk-UA").map(|n| n.code), Some("uk"));
        assert_eq!(for_language("EN").map(|n| n.code), Some("en"));
        assert_eq!(for_language("xx"), None);
    }

    #[test]
    fn patterns() {
        let uk = for_language("uk").unwrap();
        assert_eq!(uk.day_month_year(24, 1, 2022), "24 лютого 2022");
        assert_eq!(uk.month_year(1, 2022), "лютий 2022");
        let es = for_language("es").unwrap();
        assert_eq!(es.day_month_year(24, 1, 2022), "24 de febrero de 2022");
        let de = for_language("de").unwrap();
        assert_eq!(de.day_month_year(3, 9, 1990), "3. Oktober 1990");
    }
}
