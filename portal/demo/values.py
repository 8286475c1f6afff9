"""Small generators of plausible values for demo files: enterprise names and credit codes,
telephone numbers, dates, monthly periods and smooth series. All take a seeded
`random.Random`, so a file's bytes depend only on its seed and date."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from portal.demo.places import TRADE_NAMES
from registry.demo.organisations import organisation_code
from registry.validators import make_credit_code
from registry.workdays import SHANGHAI


@dataclass
class Ctx:
    """What a file builder gets: its own random source, the upload's moment and local date,
    and which version of the file this is (1 for the first upload)."""

    rng: random.Random
    at: dt.datetime
    version: int

    @property
    def as_of(self) -> dt.date:
        return self.at.astimezone(SHANGHAI).date()


def credit_code(rng: random.Random, region: str, *, authority: str = "91") -> str:
    """A valid-looking unified social credit code (GB 32100): 91 enterprise, 92 individual
    business, 93 farmers' cooperative, 12 public institution, 52 social organisation."""
    enterprise = authority[0] == "9"
    body = organisation_code(f"{region}:{rng.random()}", enterprise=enterprise)
    return make_credit_code(authority + region + body)


class Names:
    """Unique fictional enterprise names: city + trade name + line of business + form."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def company(self, city: str, business: str, form: str = "有限公司") -> str:
        short = city.removesuffix("市")
        for attempt in range(50):
            trade = self.rng.choice(TRADE_NAMES)
            if attempt > 5:
                trade += self.rng.choice(TRADE_NAMES)[0]
            name = f"{short}{trade}{business}{form}"
            if name not in self.seen:
                self.seen.add(name)
                return name
        raise RuntimeError("ran out of fictional enterprise names")


def phone(rng: random.Random, area: str) -> str:
    digits = 7 if area in ("0891", "0971", "0892", "0894") else 8
    return f"{area}-{rng.randint(2, 8)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_back(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_months(as_of: dt.date, count: int, *, lag: int = 1) -> list[dt.date]:
    """The `count` months ending `lag` months before `as_of`'s month, oldest first (monthly
    statistics are published for the month before)."""
    return [months_back(as_of, lag + i) for i in reversed(range(count))]


def days_back(as_of: dt.date, count: int) -> list[dt.date]:
    """The `count` days ending the day before `as_of`, oldest first."""
    return [as_of - dt.timedelta(days=count - i) for i in range(count)]


def hours_back(moment: dt.datetime, count: int) -> Iterator[dt.datetime]:
    """Local whole hours, the `count` hours up to the last full hour before `moment`."""
    local = moment.astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
    for i in reversed(range(1, count + 1)):
        yield (local - dt.timedelta(hours=i)).replace(tzinfo=None)


def seasonal(day: dt.date, *, mean: float, amplitude: float, peak_day: int = 15) -> float:
    """A yearly cosine: `mean` ± `amplitude`, highest around day-of-year `peak_day`."""
    angle = 2 * math.pi * (day.timetuple().tm_yday - peak_day) / 365.25
    return mean + amplitude * math.cos(angle)


def dec(value: float, places: int = 2) -> Decimal:
    if places == 0:
        return Decimal(round(value))
    return Decimal(str(round(value, places)))


def weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def quarter_label(day: dt.date) -> str:
    return f"{day.year}年第{(day.month - 1) // 3 + 1}季度"


# HJ 633-2012 breakpoints: concentration (µg/m³) → individual AQI. PM uses the 24-hour
# limits (as real-time hourly publication does), O3 the 1-hour ones.
_IAQI = (0, 50, 100, 150, 200, 300, 400, 500)
_BREAKS = {
    "PM2.5": (0, 35, 75, 115, 150, 250, 350, 500),
    "PM10": (0, 50, 150, 250, 350, 420, 500, 600),
    "O3": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "NO2": (0, 40, 80, 180, 280, 565, 750, 940),
}
POLLUTANT_NAMES = {
    "PM2.5": "细颗粒物(PM2.5)",
    "PM10": "可吸入颗粒物(PM10)",
    "O3": "臭氧(O3)",
    "NO2": "二氧化氮(NO2)",
}
AQI_LEVELS = ((50, "优"), (100, "良"), (150, "轻度污染"), (200, "中度污染"), (300, "重度污染"))


def iaqi(pollutant: str, value: float) -> int:
    breaks = _BREAKS[pollutant]
    for i in range(1, len(breaks)):
        if value <= breaks[i]:
            lo, hi = breaks[i - 1], breaks[i]
            return math.ceil(_IAQI[i - 1] + (_IAQI[i] - _IAQI[i - 1]) * (value - lo) / (hi - lo))
    return 500


def aqi(values: dict[str, float]) -> tuple[int, str]:
    """The AQI and its primary pollutant (empty when the air is good, AQI ≤ 50)."""
    scores = {name: iaqi(name, value) for name, value in values.items()}
    primary = max(scores, key=lambda name: scores[name])
    index = scores[primary]
    return index, POLLUTANT_NAMES[primary] if index > 50 else ""


def aqi_level(index: int) -> str:
    return next((label for limit, label in AQI_LEVELS if index <= limit), "严重污染")
