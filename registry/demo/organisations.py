"""Demo organisations, platforms not yet live, and the accounts that act for them.

Credit codes are built the way GB 32100-2015 lays them out: character 1 is the registration
authority (1 = 机构编制 for organs and public institutions, 9 = 市场监管 for enterprises),
character 2 the kind (1 = 机关, 2 = 事业单位 under authority 1; 1 = 企业 under authority 9),
characters 3-8 the region (central bodies use 100000, as real central codes do), characters
9-17 the GB 11714 organisation code (8 characters plus its own check character), and
character 18 the mod-31 check character from `make_credit_code`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from registry import services
from registry.models import (
    AgentMandate,
    Organisation,
    OrganisationType,
    Platform,
    PlatformLevel,
    Role,
    RoleAssignment,
)
from registry.validators import ALPHABET, make_credit_code

# One shared password for every demo account (printed by `demo_logins`).
DEMO_PASSWORD = "demo-2026"

# Provinces whose platform is not live yet: their registrants file on the national platform.
NOT_LIVE_PROVINCES = ("54", "63")  # 西藏自治区, 青海省

T = OrganisationType


@dataclass(frozen=True)
class OrgSpec:
    key: str  # also the username of its staff account
    name: str
    org_type: str
    region: str  # GB/T 2260 code; "000000" for central bodies
    area_code: str  # telephone area code
    contact: str
    national: bool = False


ORGANISATIONS: list[OrgSpec] = [
    # 广东
    OrgSpec("gd_transport", "广东省交通运输厅", T.ORGAN, "440000", "020", "陈伟"),
    OrgSpec("gd_market", "广东省市场监督管理局", T.ORGAN, "440000", "020", "李娜"),
    OrgSpec("gd_ecology", "广东省生态环境厅", T.ORGAN, "440000", "020", "黄志强"),
    OrgSpec("gz_planning", "广州市规划和自然资源局", T.ORGAN, "440100", "020", "王磊"),
    OrgSpec("gz_power", "广州供电局有限公司", T.UTILITY, "440100", "020", "梁红"),
    OrgSpec("gz_hospital", "广州市第一人民医院", T.PUBLIC_INSTITUTION, "440100", "020", "何平"),
    OrgSpec("sz_health", "深圳市卫生健康委员会", T.ORGAN, "440300", "0755", "张敏"),
    OrgSpec("sz_transport", "深圳市交通运输局", T.ORGAN, "440300", "0755", "刘洋"),
    OrgSpec("fs_hrss", "佛山市人力资源和社会保障局", T.ORGAN, "440600", "0757", "杨静"),
    # 浙江
    OrgSpec("zj_market", "浙江省市场监督管理局", T.ORGAN, "330000", "0571", "赵丽"),
    OrgSpec("zj_edu", "浙江省教育厅", T.ORGAN, "330000", "0571", "周杰"),
    OrgSpec("hz_water", "杭州水务集团有限公司", T.UTILITY, "330100", "0571", "吴婷"),
    OrgSpec("hz_transport", "杭州市交通运输局", T.ORGAN, "330100", "0571", "徐斌"),
    OrgSpec("nb_port", "宁波市港航管理中心", T.PUBLIC_INSTITUTION, "330200", "0574", "孙芳"),
    OrgSpec("wz_medsec", "温州市医疗保障局", T.ORGAN, "330300", "0577", "马俊"),
    # 江苏
    OrgSpec("js_resources", "江苏省自然资源厅", T.ORGAN, "320000", "025", "朱琳"),
    OrgSpec("nj_transport", "南京市交通运输局", T.ORGAN, "320100", "025", "胡涛"),
    OrgSpec("sz_gas", "苏州港华燃气有限公司", T.UTILITY, "320500", "0512", "郭蕾"),
    # 四川
    OrgSpec("sc_agri", "四川省农业农村厅", T.ORGAN, "510000", "028", "林晓"),
    OrgSpec("cd_metro", "成都轨道交通集团有限公司", T.UTILITY, "510100", "028", "罗军"),
    # 山东
    OrgSpec("sd_medsec", "山东省医疗保障局", T.ORGAN, "370000", "0531", "宋健"),
    OrgSpec("qd_ocean", "青岛市海洋发展局", T.ORGAN, "370200", "0532", "唐敏"),
    # 湖北
    OrgSpec("wh_water", "武汉市水务局", T.ORGAN, "420100", "027", "韩雪"),
    OrgSpec("hb_tourism", "湖北省文化和旅游厅", T.ORGAN, "420000", "027", "冯刚"),
    # 福建
    OrgSpec("fj_forestry", "福建省林业局", T.ORGAN, "350000", "0591", "曹颖"),
    OrgSpec("xm_bus", "厦门公交集团有限公司", T.UTILITY, "350200", "0592", "邓超"),
    # 上海、北京
    OrgSpec("sh_housing", "上海市住房和城乡建设管理委员会", T.ORGAN, "310000", "021", "许蔚"),
    OrgSpec("bj_ecology", "北京市生态环境局", T.ORGAN, "110000", "010", "彭亮"),
    # 西藏、青海 (platforms not live: they file nationally)
    OrgSpec("xz_agri", "西藏自治区农业农村厅", T.ORGAN, "540000", "0891", "次仁多吉"),
    OrgSpec("qh_forestry", "青海省林业和草原局", T.ORGAN, "630000", "0971", "马晓燕"),
    # 中央单位 (national level)
    OrgSpec("nbs", "国家统计局", T.ORGAN, "000000", "010", "王建国", national=True),
    OrgSpec("mwr_info", "水利部信息中心", T.PUBLIC_INSTITUTION, "000000", "010", "刘海", True),
    OrgSpec(
        "cma_service",
        "中国气象局公共气象服务中心",
        T.PUBLIC_INSTITUTION,
        "000000",
        "010",
        "高阳",
        True,
    ),
    OrgSpec("nhsa", "国家医疗保障局", T.ORGAN, "000000", "010", "钱程", national=True),
    # 运营机构与代理机构
    OrgSpec("gz_datagroup", "广州数据集团有限公司", T.OPERATOR, "440100", "020", "苏晴"),
    OrgSpec("hz_dataops", "杭州城市大脑数据运营有限公司", T.OPERATOR, "330100", "0571", "蒋文"),
    OrgSpec("gz_agent", "广州数智登记代理服务有限公司", T.AGENT, "440100", "020", "叶子豪"),
]

# The agent organisation files for this holder under a mandate.
AGENT_KEY, MANDATE_PRINCIPAL = "gz_agent", "gz_planning"

# The organisation whose presence means the demo is loaded.
MARKER_KEY = "nbs"

HOLDER_TYPES = (T.ORGAN, T.PUBLIC_INSTITUTION, T.UTILITY)


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str | None  # None: a member of the public
    target: str = ""  # an organisation key, or a platform code
    superuser: bool = False


PLATFORM_ACCOUNTS: list[Account] = [
    Account("admin", "系统管理员", Role.PLATFORM_ADMIN, "national", superuser=True),
    Account("nat_reviewer", "郑国平", Role.REVIEWER, "national"),
    Account("gd_reviewer", "林嘉欣", Role.REVIEWER, "44"),
    Account("gd_admin", "黄俊辉", Role.PLATFORM_ADMIN, "44"),
    Account("zj_reviewer", "沈佳怡", Role.REVIEWER, "33"),
    Account("js_reviewer", "陆明", Role.REVIEWER, "32"),
    Account("sc_reviewer", "蒲晓东", Role.REVIEWER, "51"),
    Account("sd_reviewer", "孔祥瑞", Role.REVIEWER, "37"),
    Account("hb_reviewer", "万丽", Role.REVIEWER, "42"),
    Account("fj_reviewer", "陈雅琴", Role.REVIEWER, "35"),
    Account("sh_reviewer", "顾磊", Role.REVIEWER, "31"),
    Account("bj_reviewer", "白雪", Role.REVIEWER, "11"),
]
PUBLIC_ACCOUNTS: list[Account] = [
    Account("agent", "叶子豪", Role.AGENT, AGENT_KEY),
    Account("citizen", "张晓明", None),
]


def staff_accounts() -> list[Account]:
    """One holder-staff account per holder and operator, named after the organisation key."""
    return [
        Account(org.key, f"{org.contact}（{org.name}）", Role.HOLDER_STAFF, org.key)
        for org in ORGANISATIONS
        if org.org_type != T.AGENT
    ]


def all_accounts() -> list[Account]:
    return PLATFORM_ACCOUNTS + staff_accounts() + PUBLIC_ACCOUNTS


# --------------------------------------------------------------------------- credit codes


def organisation_code(seed: str, *, enterprise: bool) -> str:
    """A GB 11714 organisation code: 8 characters and a mod-11 check character. Newer
    enterprise codes start with MA; older organ codes with 00."""
    rng = random.Random(f"orgcode:{seed}")
    if enterprise:
        body = "MA" + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(6))
    else:
        body = "00" + "".join(rng.choice("0123456789") for _ in range(6))
    values = [int(ch, 36) for ch in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(org: OrgSpec) -> str:
    enterprise = org.org_type in (T.UTILITY, T.OPERATOR, T.AGENT)
    authority = "91" if enterprise else ("12" if org.org_type == T.PUBLIC_INSTITUTION else "11")
    region = "100000" if org.national else org.region
    return make_credit_code(authority + region + organisation_code(org.key, enterprise=enterprise))


def marker_credit_code() -> str:
    return credit_code(next(o for o in ORGANISATIONS if o.key == MARKER_KEY))


# --------------------------------------------------------------------------- builders


def mark_platforms_not_live() -> None:
    Platform.objects.filter(level=PlatformLevel.PROVINCIAL, code__in=NOT_LIVE_PROVINCES).update(
        is_live=False
    )


def build_organisations() -> dict[str, Organisation]:
    orgs = {}
    for spec in ORGANISATIONS:
        rng = random.Random(f"phone:{spec.key}")
        digits = 7 if spec.area_code in ("0891", "0971") else 8
        number = str(rng.randint(2, 8)) + "".join(
            rng.choice("0123456789") for _ in range(digits - 1)
        )
        phone = f"{spec.area_code}-{number}"
        orgs[spec.key] = services.organisation_create(
            name=spec.name,
            credit_code=credit_code(spec),
            org_type=spec.org_type,
            region_code=spec.region,
            is_national_level=spec.national,
            contact_name=spec.contact,
            contact_phone=phone,
        )
    return orgs


def build_accounts(orgs: dict[str, Organisation]) -> dict[str, object]:
    """Create every demo account with its role. Reviewers and administrators are never
    holder staff, so separation of duties holds by construction."""
    user_model = get_user_model()
    # One hash for all: the default hasher takes ~0.3 s per call, and this is demo data.
    password = make_password(DEMO_PASSWORD)
    platforms = {p.code: p for p in Platform.objects.all()}
    users = {}
    for account in all_accounts():
        user = user_model.objects.create(
            username=account.username,
            first_name=account.full_name,
            password=password,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        if account.role in (Role.HOLDER_STAFF, Role.AGENT):
            RoleAssignment.objects.create(
                user=user, role=account.role, organisation=orgs[account.target]
            )
        elif account.role is not None:
            RoleAssignment.objects.create(
                user=user, role=account.role, platform=platforms[account.target]
            )
        users[account.username] = user
    return users


def build_mandate(orgs: dict[str, Organisation], *, today: dt.date) -> AgentMandate:
    return AgentMandate.objects.create(
        agent=orgs[AGENT_KEY],
        principal=orgs[MANDATE_PRINCIPAL],
        valid_from=today - dt.timedelta(days=800),
        valid_until=today + dt.timedelta(days=365),
    )
