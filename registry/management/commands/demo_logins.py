"""Print the demo accounts as a table: who they are, how to log in, what to try first."""

from __future__ import annotations

import os
import unicodedata

from django.core.management.base import BaseCommand

from registry.demo import loader
from registry.demo.organisations import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    PLATFORM_ACCOUNTS,
    all_accounts,
)
from registry.models import Platform, Role

# (role, username, what to try first) for the accounts worth trying first.
FEATURED = [
    (
        "Superuser + national platform admin",
        "admin",
        "/admin/ (Django admin); /registry/staff/ (nationwide dashboard)",
    ),
    (
        "National reviewer 国家平台审核员",
        "nat_reviewer",
        "/registry/staff/: central bodies, Tibet and Qinghai (platforms not live); overdue items",
    ),
    (
        "Guangdong reviewer 广东省平台审核员",
        "gd_reviewer",
        "/registry/staff/: queue by deadline; accept, supplement, review, decide objections",
    ),
    (
        "Guangdong platform admin 广东省平台管理员",
        "gd_admin",
        "/registry/staff/: dashboard with counts and overdue items",
    ),
    (
        "Zhejiang reviewer 浙江省平台审核员",
        "zj_reviewer",
        "/registry/staff/: a pending objection on 浙江省12315消费投诉举报数据",
    ),
    (
        "Holder staff 广东省交通运输厅",
        "gd_transport",
        "/registry/staff/: own filings and deadlines; file a new one or change a record",
    ),
    (
        "Holder staff 浙江省市场监督管理局",
        "zj_market",
        "/registry/staff/: filings in notice, not accepted, changed",
    ),
    (
        "Holder staff 国家统计局 (central body)",
        "nbs",
        "/registry/staff/: files on the national platform",
    ),
    (
        "Operator 广州数据集团有限公司",
        "gz_datagroup",
        "/registry/staff/: data products; one awaits a supplement",
    ),
    (
        "Implementing agency 广州市政务服务和数据管理局",
        "gz_agency",
        "/operations/agency/: schemes, agreements, licences; an application to decide",
    ),
    (
        "Operator 广州数据集团有限公司 (licences)",
        "gz_datagroup",
        "/operations/operator/: licences of each mode; the query console",
    ),
    (
        "Implementing agency 浙江省大数据发展管理局",
        "zj_agency",
        "/operations/agency/: expired, exiting and closed agreements; a suspended licence",
    ),
    (
        "Agency 广东省政务服务和数据管理局 (prices)",
        "gd_data_agency",
        "/operations/commerce/: ceilings, pricing periods, last year's disclosure",
    ),
    (
        "Operator 广州数据集团有限公司 (products)",
        "gz_datagroup",
        "/operations/commerce/: four products, orders, statements, invoices",
    ),
    (
        "Consumer 广州农村商业银行 (industry use)",
        "bank_buyer",
        "/operations/commerce/: orders, monthly statements and invoices (PDF/CSV)",
    ),
    (
        "Consumer 广州市慈善会 (public welfare)",
        "welfare_buyer",
        "/operations/commerce/: a free order with its attestation",
    ),
    (
        "Agent for 广州市规划和自然资源局",
        "agent",
        "/registry/staff/: files under a mandate (委托授权书)",
    ),
    (
        "Applicant 数据使用申请人",
        "researcher",
        "/access/: applications in every state, an active grant, usage reports (one overdue)",
    ),
    (
        "Citizen 社会公众",
        "citizen",
        "/registry/notices/: object to a registration in public notice",
    ),
    (
        "Anyone, not logged in",
        "-",
        "/registry/records/ (register, search); /api/docs/ (Swagger UI)",
    ),
]


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [pad(cell, widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def describe(account, platforms: dict[str, str]) -> str:
    if account.role is None:
        return "Citizen 社会公众"
    names = {org.key: org.name for org in ORGANISATIONS}
    label = str(dict(Role.choices)[account.role])
    target = names.get(account.target) or platforms.get(account.target, account.target)
    suffix = " (superuser)" if account.superuser else ""
    return f"{label} · {target}{suffix}"


class Command(BaseCommand):
    help = "Print the demo accounts, their shared password and what to try first."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="list every demo account")

    def handle(self, *args, **options):
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        if not loader.is_loaded():
            self.stderr.write("The demo data is not loaded: run `manage.py load_demo` first.")
        self.stdout.write(f"\nDemo logins at {base}/accounts/login/")
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}\n")
        if options["all"]:
            rows = [("Username", "Role", "Password")]
            platforms = dict(Platform.objects.values_list("code", "name"))
            rows += [(a.username, describe(a, platforms), DEMO_PASSWORD) for a in all_accounts()]
        else:
            rows = [("Role", "Username", "Password", "Try first")]
            rows += [
                (role, user, DEMO_PASSWORD if user != "-" else "-", hint)
                for role, user, hint in FEATURED
            ]
        for line in table(rows):
            self.stdout.write(line)
        usernames = {a.username for a in all_accounts()}
        extra = len(usernames - {user for _, user, _ in FEATURED})
        if not options["all"]:
            self.stdout.write(
                f"\n{extra} more accounts (a holder-staff account per organisation, a reviewer "
                f"per province with data, e.g. {PLATFORM_ACCOUNTS[5].username}): "
                "manage.py demo_logins --all"
            )
        self.stdout.write("")
