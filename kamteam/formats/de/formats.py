# Only what differs from Django's German formats (django/conf/locale/de), which
# give the rest: a day of the year as a chart's axis names its weeks, "5. Okt."
# (Django's "j. F" writes the month out, too wide under a chart).
MONTH_DAY_FORMAT = "j. N"
