"""Deterministic benchmark data: a tabular CSV of any number of rows, a binary file of any
size, and catalogue records with Chinese titles and descriptions.

The same parameters always give the same bytes (a seeded `random.Random`, no wall clock, no
hash randomisation), so two runs, two machines and a test see identical inputs. Files are
written once under `bench/data/` and reused while their manifest (parameters + size + a
SHA-256 of the head) matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 20260101
CSV_HEADER = ["编号", "名称", "日期", "金额", "类别", "代码"]
# Skewed category: the first value is about half of all rows, the last ones are rare.
CATEGORIES = ["交通", "教育", "医疗", "环境", "住房", "农业", "旅游", "文化", "气象", "信用"]
_CATEGORY_WEIGHTS = [0.5, 0.2, 0.1, 0.06, 0.04, 0.03, 0.03, 0.02, 0.015, 0.005]
PLACES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "武汉",
    "西安",
    "重庆",
    "天津",
    "苏州",
    "宁波",
    "厦门",
    "青岛",
    "长沙",
    "郑州",
    "济南",
    "合肥",
    "福州",
]
DISTRICTS = ["东城", "西湖", "南山", "北湖", "高新", "滨江", "开发", "新城", "老城", "江北"]
SUBJECTS = [
    "公交站点",
    "社区服务中心",
    "人民医院",
    "实验小学",
    "空气监测站",
    "停车场",
    "图书馆",
    "体育馆",
    "农贸市场",
    "派出所",
    "消防站",
    "污水处理厂",
    "养老院",
    "幼儿园",
    "充电站",
    "地铁站",
    "公园",
    "博物馆",
    "街道办事处",
    "税务所",
]
SUFFIXES = ["", "一号", "二号", "东区", "西区", "分中心", "服务点", "管理处"]
STREETS = ["人民", "解放", "中山", "建设", "和平", "光明", "胜利", "长江", "黄河", "文化"]


def _weighted_index(cumulative: list[float], x: float) -> int:
    for i, bound in enumerate(cumulative):
        if x < bound:
            return i
    return len(cumulative) - 1


_CUMULATIVE = [sum(_CATEGORY_WEIGHTS[: i + 1]) for i in range(len(_CATEGORY_WEIGHTS))]


def csv_rows(rows: int, *, seed: int = SEED) -> Iterator[str]:
    """The CSV's lines (header first), each ending in \\n. Columns: an integer id, Chinese
    text, an ISO date, a decimal with two places, a skewed category, a code with leading
    zeros (stays text)."""
    rng = random.Random(seed)
    rand = rng.random
    yield ",".join(CSV_HEADER) + "\n"
    np, nd, ns, nx = len(PLACES), len(DISTRICTS), len(SUBJECTS), len(SUFFIXES)
    nr = len(STREETS)
    for i in range(1, rows + 1):
        name = (
            PLACES[int(rand() * np)]
            + "市"
            + DISTRICTS[int(rand() * nd)]
            + "区"
            + STREETS[int(rand() * nr)]
            + "路"
            + SUBJECTS[int(rand() * ns)]
            + SUFFIXES[int(rand() * nx)]
        )
        day = int(rand() * 3650)
        year, rest = 2016 + day // 365, day % 365
        month, mday = 1 + rest // 31 % 12, 1 + rest % 28
        cents = int(rand() * 10_000_000_000)
        category = CATEGORIES[_weighted_index(_CUMULATIVE, rand())]
        code = f"{int(rand() * 1_000_000_000_000):012d}"
        yield (
            f"{i},{name},{year:04d}-{month:02d}-{mday:02d},{cents // 100}.{cents % 100:02d},"
            f"{category},{code}\n"
        )


@dataclass(frozen=True)
class Manifest:
    kind: str
    params: dict
    size: int
    head_sha256: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "params": self.params,
            "size": self.size,
            "head_sha256": self.head_sha256,
        }


def _head_hash(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.sha256(fh.read(1 << 20)).hexdigest()


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _cached(path: Path, kind: str, params: dict) -> bool:
    manifest = _manifest_path(path)
    if not (path.exists() and manifest.exists()):
        return False
    try:
        data = json.loads(manifest.read_text())
    except ValueError:
        return False
    return (
        data.get("kind") == kind
        and data.get("params") == params
        and data.get("size") == path.stat().st_size
        and data.get("head_sha256") == _head_hash(path)
    )


def _write_manifest(path: Path, kind: str, params: dict) -> Manifest:
    manifest = Manifest(kind, params, path.stat().st_size, _head_hash(path))
    _manifest_path(path).write_text(json.dumps(manifest.as_dict(), indent=2))
    return manifest


def write_csv(path: Path, rows: int, *, seed: int = SEED) -> Path:
    """Write (or reuse) the CSV of `rows` data rows."""
    params = {"rows": rows, "seed": seed, "columns": CSV_HEADER}
    if _cached(path, "csv", params):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        batch: list[str] = []
        for line in csv_rows(rows, seed=seed):
            batch.append(line)
            if len(batch) >= 10_000:
                fh.write("".join(batch))
                batch.clear()
        fh.write("".join(batch))
    os.replace(tmp, path)
    _write_manifest(path, "csv", params)
    return path


def write_binary(path: Path, size: int, *, seed: int = SEED) -> Path:
    """Write (or reuse) `size` pseudo-random bytes (incompressible, like a real archive)."""
    params = {"size": size, "seed": seed}
    if _cached(path, "binary", params):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    tmp = path.with_name(path.name + ".tmp")
    block = 1 << 20
    with tmp.open("wb") as fh:
        left = size
        while left > 0:
            n = min(block, left)
            fh.write(rng.randbytes(n))
            left -= n
    os.replace(tmp, path)
    _write_manifest(path, "binary", params)
    return path


# --------------------------------------------------------------------------- catalogue

THEME_WORDS = [
    "公共交通",
    "空气质量",
    "医疗机构",
    "中小学校",
    "企业登记",
    "行政处罚",
    "食品安全",
    "住房保障",
    "气象观测",
    "水质监测",
    "旅游景区",
    "文化场馆",
    "社会保险",
    "养老服务",
    "农产品价格",
    "道路运输",
    "停车泊位",
    "充电设施",
    "地铁客流",
    "人口统计",
]
KINDS = ["信息", "数据", "名录", "统计", "目录", "公示", "月报", "年报"]
RARE_WORDS = ["鸬鹚", "琉璃瓦", "篆刻", "蹴鞠", "榫卯", "皮影", "漆器", "龙舟"]
DESCRIPTION_PHRASES = [
    "包括名称、地址、联系电话和经纬度坐标",
    "按月更新，数据来源于业务系统",
    "覆盖全市各区县",
    "已按规定脱敏处理",
    "可用于出行规划和公共服务研究",
    "字段说明见数据字典",
    "统计口径与国家标准一致",
    "历史数据可追溯至二〇一五年",
]


@dataclass(frozen=True)
class CatalogueRecord:
    title: str
    description: str
    theme_index: int
    format_index: int
    province_index: int


FORMATS = ["CSV", "XLSX", "JSON", "PDF", "ZIP"]


def catalogue_records(count: int, *, seed: int = SEED) -> Iterator[CatalogueRecord]:
    """`count` catalogue entries. Word frequencies are chosen so that query classes exist:
    a common word (公共交通, in about 10 % of titles), medium words (each theme word about
    5 %), rare words (about 1 in 12,500 records), and 1–2 character queries."""
    rng = random.Random(seed + 1)
    rand = rng.random
    nt, nk, npl, nd = len(THEME_WORDS), len(KINDS), len(PLACES), len(DISTRICTS)
    for i in range(count):
        theme = 0 if rand() < 0.06 else int(rand() * nt)
        place = int(rand() * npl)
        words = [PLACES[place] + "市", DISTRICTS[int(rand() * nd)] + "区", THEME_WORDS[theme]]
        if i % 12_500 == 7:
            words.append(RARE_WORDS[(i // 12_500) % len(RARE_WORDS)])
        words.append(KINDS[int(rand() * nk)])
        title = "".join(words)
        phrases = [DESCRIPTION_PHRASES[int(rand() * len(DESCRIPTION_PHRASES))] for _ in range(3)]
        description = f"{title}。" + "；".join(phrases) + "。"
        yield CatalogueRecord(title, description, theme, int(rand() * len(FORMATS)), place)
