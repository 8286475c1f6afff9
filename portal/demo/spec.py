"""One demo dataset: which registry record it publishes, how it is presented, its files and how
it behaves over time (updated on schedule or overdue, withdrawn, how popular)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.demo import formats
from portal.demo.formats import Bundle, Report, Table
from portal.demo.values import Ctx

Built = Table | Report | Bundle
Builder = Callable[[Ctx], Built]

# File kinds: extension, and how a built table becomes bytes.
EXTENSIONS = {
    "csv": ".csv",
    "csv-bom": ".csv",
    "csv-gbk": ".csv",
    "xlsx": ".xlsx",
    "json": ".json",
    "geojson": ".geojson",
    "xml": ".xml",
    "pdf": ".pdf",
    "zip": ".zip",
}


@dataclass(frozen=True)
class File:
    """A distribution. `versions` is how many uploads its history has at most (the first when
    the dataset is published, the last on schedule, the others one period apart); a `static`
    file (documentation, a closed year) is uploaded once, when the dataset is published."""

    title: str
    build: Builder
    kind: str
    description: str = ""
    versions: int = 2
    static: bool = False

    def __post_init__(self) -> None:
        if self.kind not in EXTENSIONS:
            raise ValueError(f"{self.title}: unknown file kind {self.kind!r}")

    def render(self, ctx: Ctx) -> tuple[str, bytes]:
        """The uploader's file name and the bytes of this file as of `ctx`."""
        built = self.build(ctx)
        stamp = "" if self.static else f"_{ctx.as_of:%Y%m%d}"
        return f"{self.title}{stamp}{EXTENSIONS[self.kind]}", encode(built, self.kind, self.title)


def encode(built: Built, kind: str, title: str) -> bytes:
    if kind == "pdf":
        assert isinstance(built, Report)
        return formats.pdf_bytes(built)
    if kind == "zip":
        assert isinstance(built, Bundle)
        return formats.zip_bytes(built)
    assert isinstance(built, Table)
    if kind == "csv":
        return formats.csv_bytes(built)
    if kind == "csv-bom":
        return formats.csv_bytes(built, bom=True)
    if kind == "csv-gbk":
        return formats.csv_bytes(built, encoding="gbk")
    if kind == "xlsx":
        return formats.xlsx_bytes(built)
    if kind == "json":
        return formats.json_bytes(built)
    if kind == "geojson":
        return formats.geojson_bytes(built, name=title)
    return formats.xml_bytes(built, title=title)


@dataclass(frozen=True)
class DatasetSpec:
    record: str  # the registry record's name (registry.demo catalogues)
    theme: str  # portal.models.Theme code
    tags: tuple[str, ...]
    notes: tuple[str, ...]  # Markdown bullet points under 数据说明
    files: tuple[File, ...]
    licence: str = ""  # Licence code; "" = the platform default (conditional: the agreement)
    links: tuple[tuple[str, str], ...] = ()  # (text, URL) under 相关链接
    overdue: bool = False  # the last update is older than the promised frequency allows
    withdrawn: str = ""  # withdrawn by the holder with this reason
    popularity: int = 2  # 0..5: how many downloads it has had

    def description(self, *, summary: str, code: str) -> str:
        lines = [summary.strip(), "", "**数据说明**", ""]
        lines += [f"- {note}" for note in self.notes]
        lines += [
            "",
            "**相关链接**",
            "",
            f"- [公共数据资源登记信息（{code}）](/registry/records/{code}/)",
        ]
        lines += [f"- [{text}]({url})" for text, url in self.links]
        lines += ["", "> 本数据集为平台演示数据，由演示程序生成，不代表真实情况。"]
        return "\n".join(lines)
