"""One demo data resource: its metadata and the workflow state the loader takes it to."""

from __future__ import annotations

from dataclasses import dataclass

# Target states understood by registry.demo.flows. "approved+change" means: coded, then a
# change registration completed; "approved+change:notice" leaves that change in public notice.
STATES = {
    "draft",
    "submitted",
    "submitted:overdue",
    "supplement",
    "not_accepted",
    "under_review",
    "under_review:overdue",
    "returned",
    "returned:objection",
    "rejected",
    "withdrawn",
    "notice",
    "notice:objection",
    "notice:dismissed",
    "notice:ended",
    "approved",
    "approved+change",
    "approved+correction",
    "approved+change+correction",
    "approved+deregistration",
    "approved+change:notice",
    "approved+change:review",
    "expiring",
    "expired",
}


@dataclass(frozen=True)
class Spec:
    holder: str  # organisation key (registry.demo.organisations)
    object_type: str  # resource | product | open_resource
    name: str
    industry: str  # GB/T 4754 section
    domain: str
    frequency: str  # registry.models.UpdateFrequency value
    formats: str  # space-separated
    grade: str  # "general:1".."general:4" | "important" | "core"
    open: str  # unconditional | conditional | not_open
    state: str
    summary: str
    items: str  # "名称 type 描述; 名称 type 描述; ..."
    personal: bool = False
    secret: bool = False
    operation: bool = False  # in authorised-operation scope
    consent: str = ""  # how consent was obtained (required when sensitive data is opened)
    coverage: tuple[str, ...] = ()  # default: the holder's region
    records: int | None = None
    source: str = ""
    agent: bool = False  # filed by the agent under its mandate
    notes: tuple[str, ...] = ()  # reasons, one-time notice items ("field|message"), objections

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"{self.name}: unknown demo state {self.state!r}")

    def data_items(self) -> list[dict[str, str]]:
        out = []
        for chunk in self.items.split(";"):
            name, kind, *desc = chunk.split(maxsplit=2)
            out.append({"name": name, "type": kind, "description": desc[0] if desc else ""})
        return out

    @property
    def sensitive_and_open(self) -> bool:
        return (self.personal or self.secret) and self.open != "not_open"
