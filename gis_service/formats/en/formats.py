"""English as our English readers write it: they live in the Netherlands, so day before month (British
order) and a 24-hour clock, never Django's US "Dec. 6, 2026, 2:30 p.m." (docs/i18n.md, *Dates in English*).

Numbers keep Django's English separators (1,234.5); what is not set here comes from Django's `en`.
"""

DATE_FORMAT = "j F Y"  # 6 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 6 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 6 December
SHORT_DATE_FORMAT = "d/m/Y"  # 06/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 06/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday, in the admin's calendar too

# What a date typed in English means (the admin's fields): ISO first, as the admin's calendar writes it;
# then day before month, so 06/12/2026 is 6 December and never June 12 as in Django's `en`.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-06
    "%d/%m/%Y",  # 06/12/2026
    "%d/%m/%y",  # 06/12/26
    "%d-%m-%Y",  # 06-12-2026
    "%d %b %Y",  # 6 Dec 2026
    "%d %B %Y",  # 6 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-12-06 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-12-06 14:30:59.000200
    "%Y-%m-%d %H:%M",  # 2026-12-06 14:30
    "%d/%m/%Y %H:%M:%S",  # 06/12/2026 14:30:59
    "%d/%m/%Y %H:%M",  # 06/12/2026 14:30
    "%d/%m/%y %H:%M",  # 06/12/26 14:30
    "%d-%m-%Y %H:%M",  # 06-12-2026 14:30
]
