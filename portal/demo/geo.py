"""GeoJSON geometries for demo files: irregular polygons around a centre (parks, lakes,
protected areas, farmland plots) and lines through stops."""

from __future__ import annotations

import math
import random
from typing import Any

from portal.demo.places import Point


def polygon(
    rng: random.Random, centre: Point, area_km2: float, *, corners: int = 14
) -> dict[str, Any]:
    """A closed, non-self-intersecting ring of about `area_km2` around `centre`: radii vary per
    corner while the angles increase, so the ring is star-shaped around the centre."""
    lon0, lat0 = centre
    radius = math.sqrt(area_km2 / math.pi)
    kx = 111.0 * math.cos(math.radians(lat0))
    ring = []
    for i in range(corners):
        angle = 2 * math.pi * i / corners + rng.uniform(-0.15, 0.15)
        r = radius * rng.uniform(0.65, 1.3)
        ring.append(
            [
                round(lon0 + r * math.cos(angle) / kx, 6),
                round(lat0 + r * math.sin(angle) / 111.0, 6),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def line(points: list[Point]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[lon, lat] for lon, lat in points]}


def walk(rng: random.Random, start: Point, steps: int, *, km: float = 0.6) -> list[Point]:
    """A bus route: a random walk that keeps its general heading, `km` between stops."""
    heading = rng.uniform(0, 2 * math.pi)
    lon, lat = start
    kx = 111.0 * math.cos(math.radians(lat))
    out = [start]
    for _ in range(steps - 1):
        heading += rng.gauss(0, 0.35)
        step = km * rng.uniform(0.6, 1.4)
        lon += step * math.cos(heading) / kx
        lat += step * math.sin(heading) / 111.0
        out.append((round(lon, 5), round(lat, 5)))
    return out
