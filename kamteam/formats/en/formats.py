# Unambiguous dates for an international team: "25 Nov 2026", never 11/25 vs 25/11.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
# A day of the year without it, as a chart's axis names its weeks: "5 Oct".
MONTH_DAY_FORMAT = "j M"
