"""File builders for the datasets of Zhejiang, Jiangsu, Shanghai and Fujian holders."""

from __future__ import annotations

import datetime as dt
import math

from portal.demo.formats import Report, Table
from portal.demo.geo import line, polygon, walk
from portal.demo.places import (
    CITIES,
    DISTRICTS,
    ROADS,
    address,
    counties_of,
    county_codes_of,
    district_point,
    jitter,
    short_place,
)
from portal.demo.values import (
    Ctx,
    Names,
    add_years,
    credit_code,
    day_between,
    days_back,
    dec,
    hours_back,
    last_months,
    months_back,
    phone,
    seasonal,
    weighted,
)

ZJ_CITY_CODES = dict(zip(CITIES["浙江省"], ["330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800", "330900", "331000", "331100"], strict=True))  # fmt: skip
ZJ_WEIGHTS = {
    "杭州市": 6,
    "宁波市": 4.5,
    "温州市": 4,
    "嘉兴市": 2.5,
    "绍兴市": 2.5,
    "金华市": 3,
    "台州市": 2.5,
}
JS_CITY_CODES = dict(zip(CITIES["江苏省"], ["320100", "320200", "320300", "320400", "320500", "320600", "320700", "320800", "320900", "321000", "321100", "321200", "321300"], strict=True))  # fmt: skip


def zj_city(ctx: Ctx) -> str:
    return weighted(ctx.rng, {c: ZJ_WEIGHTS.get(c, 1.0) for c in ZJ_CITY_CODES})


# --------------------------------------------------------------------------- 浙江省市场监督管理局


def enterprise_credit(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for _ in range(1500):
        city = zj_city(ctx)
        grade = weighted(ctx.rng, {"A": 52, "B": 38, "C": 8, "D": 2})
        penalties = {
            "A": 0,
            "B": ctx.rng.choice((0, 0, 1)),
            "C": ctx.rng.randint(1, 4),
            "D": ctx.rng.randint(2, 9),
        }[grade]
        rows.append([
            credit_code(ctx.rng, ZJ_CITY_CODES[city]), names.company(city, ctx.rng.choice(("实业", "科技", "纺织", "机械", "电子商务", "建设"))),
            grade, penalties, grade in ("C", "D") and ctx.rng.random() < 0.6, grade == "D" and ctx.rng.random() < 0.5,
            day_between(ctx.rng, ctx.as_of - dt.timedelta(days=60), ctx.as_of - dt.timedelta(days=1)),
        ])  # fmt: skip
    columns = [
        "统一社会信用代码",
        "企业名称",
        "信用等级",
        "行政处罚记录数",
        "经营异常标识",
        "严重违法失信标识",
        "更新日期",
    ]
    return Table(columns, rows, ctx.as_of)


EQUIPMENT = {("3110", "曳引驱动乘客电梯"): 40, ("3210", "自动扶梯"): 4, ("1000", "锅炉"): 2, ("2100", "固定式压力容器"): 10, ("4000", "起重机械"): 5, ("5000", "场（厂）内专用机动车辆"): 6, ("8000", "压力管道"): 2}  # fmt: skip


def special_equipment(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 2501):
        city = zj_city(ctx)
        code, kind = ctx.rng.choices(list(EQUIPMENT), weights=list(EQUIPMENT.values()))[0]
        registered = day_between(ctx.rng, dt.date(2008, 1, 1), ctx.as_of - dt.timedelta(days=3))
        user = (
            names.company(city, ctx.rng.choice(("物业服务", "置业", "实业", "机械制造", "化工")))
            if ctx.rng.random() < 0.8
            else f"{city}{ctx.rng.choice(('第一', '第二', '中心'))}人民医院"
        )
        region = ZJ_CITY_CODES[city][:4] + f"{ctx.rng.choice((2, 3, 5, 6, 8, 9)):02d}"
        road = ctx.rng.choice(ROADS.get(city, ["人民路", "中山路", "解放路", "环城北路"]))
        next_check = ctx.as_of + dt.timedelta(days=ctx.rng.randint(5, 360))
        rows.append(
            [
                f"{code}{region}{registered.year}{seq:06d}",
                kind,
                user,
                f"浙江省{city}{road}{ctx.rng.randint(1, 600)}号",
                registered,
                next_check,
            ]
        )
    columns = ["设备注册代码", "设备类别", "使用单位", "设备地址", "登记日期", "下次检验日期"]
    return Table(columns, rows, ctx.as_of)


COMPLAINT_CATEGORIES = {"家用电子电器": 1.0, "服装鞋帽": 0.8, "食品": 1.1, "交通工具": 0.6, "房屋及建材": 0.5, "教育培训服务": 0.7, "互联网服务": 1.6, "餐饮和住宿服务": 0.9, "美容美发洗浴服务": 0.5, "文化娱乐体育服务": 0.4}  # fmt: skip


def complaint_statistics(ctx: Ctx) -> Table:
    rows = []
    for month in last_months(ctx.as_of, 12):
        festival = 1.25 if month.month in (1, 2, 11) else 1.0
        for city in ZJ_CITY_CODES:
            scale = ZJ_WEIGHTS.get(city, 1.0) * 420
            for category, weight in COMPLAINT_CATEGORIES.items():
                complaints = int(scale * weight * festival * ctx.rng.uniform(0.8, 1.2))
                rows.append([month.strftime("%Y-%m"), city, category, complaints, int(complaints * ctx.rng.uniform(0.15, 0.4)),
                             dec(ctx.rng.uniform(96.0, 99.8), 1), dec(complaints * ctx.rng.uniform(0.03, 0.09), 2)])  # fmt: skip
    columns = ["统计月份", "地市", "商品服务类别", "投诉件数", "举报件数", "办结率", "挽回经济损失"]
    return Table(columns, rows, ctx.as_of, sheet="投诉举报统计")


# --------------------------------------------------------------------------- 浙江省教育厅

SCHOOL_KINDS = {
    "小学": 50,
    "初级中学": 20,
    "九年一贯制学校": 10,
    "完全中学": 4,
    "高级中学": 8,
    "十二年一贯制学校": 1,
}


def schools(ctx: Ctx) -> Table:
    rows, seen = [], set()
    for city, code in ZJ_CITY_CODES.items():
        counties = counties_of(code)
        for _ in range(int(ZJ_WEIGHTS.get(city, 1.2) * 55)):
            county = ctx.rng.choice(counties)
            kind = weighted(ctx.rng, SCHOOL_KINDS)
            place = ctx.rng.choice(
                ROADS.get(city, ["城东", "城西", "城南", "城北", "实验", "育才", "文澜", "崇文"])
            )[:2]
            name = f"{city}{county}{place}{kind if kind != '初级中学' else '中学'}"
            if name in seen:
                name = name.replace(
                    place, place + ctx.rng.choice(("第一", "第二", "实验", "外国语")), 1
                )
            if name in seen:
                continue
            seen.add(name)
            students = {
                "小学": 1100,
                "初级中学": 1300,
                "九年一贯制学校": 1500,
                "完全中学": 2200,
                "高级中学": 2000,
                "十二年一贯制学校": 2600,
            }[kind]
            students = int(students * ctx.rng.uniform(0.3, 1.8))
            rows.append([f"21330{len(rows) + 1:05d}", name, kind, "公办" if ctx.rng.random() < 0.88 else "民办", county,
                         students, max(12, int(students / ctx.rng.uniform(11, 15))), f"浙江省{city}{county}{place}路{ctx.rng.randint(1, 300)}号"])  # fmt: skip
    columns = [
        "学校标识码",
        "学校名称",
        "办学类型",
        "举办者类型",
        "所在区县",
        "在校生数",
        "专任教师数",
        "学校地址",
    ]
    return Table(columns, rows, ctx.as_of, sheet="中小学校")


UNIVERSITIES = [
    ("4133010335", "浙江大学", "教育部", "杭州市", "本科"), ("4133010336", "杭州电子科技大学", "浙江省", "杭州市", "本科"),
    ("4133010337", "浙江工业大学", "浙江省", "杭州市", "本科"), ("4133010338", "浙江理工大学", "浙江省", "杭州市", "本科"),
    ("4133010340", "浙江海洋大学", "浙江省", "舟山市", "本科"), ("4133010341", "浙江农林大学", "浙江省", "杭州市", "本科"),
    ("4133010343", "温州医科大学", "浙江省", "温州市", "本科"), ("4133010344", "浙江中医药大学", "浙江省", "杭州市", "本科"),
    ("4133010345", "浙江师范大学", "浙江省", "金华市", "本科"), ("4133010346", "杭州师范大学", "杭州市", "杭州市", "本科"),
    ("4133010347", "湖州师范学院", "浙江省", "湖州市", "本科"), ("4133010349", "绍兴文理学院", "浙江省", "绍兴市", "本科"),
    ("4133010350", "台州学院", "浙江省", "台州市", "本科"), ("4133010351", "温州大学", "浙江省", "温州市", "本科"),
    ("4133010352", "丽水学院", "浙江省", "丽水市", "本科"), ("4133010353", "浙江工商大学", "浙江省", "杭州市", "本科"),
    ("4133010354", "嘉兴大学", "浙江省", "嘉兴市", "本科"), ("4133010355", "中国美术学院", "浙江省", "杭州市", "本科"),
    ("4133010356", "中国计量大学", "浙江省", "杭州市", "本科"), ("4133010876", "宁波工程学院", "浙江省", "宁波市", "本科"),
    ("4133010482", "浙江财经大学", "浙江省", "杭州市", "本科"), ("4133011646", "宁波大学", "浙江省", "宁波市", "本科"),
    ("4133011057", "浙江科技大学", "浙江省", "杭州市", "本科"), ("4133011842", "浙江外国语学院", "浙江省", "杭州市", "本科"),
    ("4133011482", "浙江警察学院", "浙江省", "杭州市", "本科"), ("4133011488", "衢州学院", "浙江省", "衢州市", "本科"),
    ("4133012792", "浙江传媒学院", "浙江省", "杭州市", "本科"), ("4133013021", "浙江树人学院", "浙江省", "杭州市", "本科"),
    ("4133013275", "浙江水利水电学院", "浙江省", "杭州市", "本科"), ("4133013276", "浙江万里学院", "浙江省", "宁波市", "本科"),
    ("4133014275", "浙江音乐学院", "浙江省", "杭州市", "本科"), ("4133013637", "浙江金融职业学院", "浙江省", "杭州市", "专科"),
    ("4133012061", "浙江交通职业技术学院", "浙江省", "杭州市", "专科"), ("4133012062", "金华职业技术大学", "金华市", "金华市", "本科"),
    ("4133012064", "宁波职业技术学院", "宁波市", "宁波市", "专科"), ("4133012065", "温州职业技术学院", "温州市", "温州市", "专科"),
    ("4133012860", "杭州职业技术学院", "杭州市", "杭州市", "专科"), ("4133013022", "浙江经济职业技术学院", "浙江省", "杭州市", "专科"),
    ("4133012867", "义乌工商职业技术学院", "义乌市", "金华市", "专科"), ("4133014184", "浙江工贸职业技术学院", "温州市", "温州市", "专科"),
    ("4133012875", "台州职业技术学院", "台州市", "台州市", "专科"), ("4133012647", "嘉兴职业技术学院", "嘉兴市", "嘉兴市", "专科"),
    ("4133012871", "湖州职业技术学院", "湖州市", "湖州市", "专科"), ("4133012874", "衢州职业技术学院", "衢州市", "衢州市", "专科"),
    ("4133012877", "丽水职业技术学院", "丽水市", "丽水市", "专科"), ("4133013752", "绍兴职业技术学院", "绍兴市", "绍兴市", "专科"),
    ("4133012868", "浙江商业职业技术学院", "浙江省", "杭州市", "专科"), ("4133012869", "浙江医药高等专科学校", "浙江省", "宁波市", "专科"),
]  # fmt: skip


def universities(ctx: Ctx) -> Table:
    rows = [
        [
            code,
            name,
            f"{owner}{'人民政府' if owner.endswith('市') else ('教育厅' if owner == '浙江省' else '')}",
            city,
            level,
            "公办",
            "",
        ]
        for code, name, owner, city, level in UNIVERSITIES
    ]
    rows[27][5] = "民办"  # 浙江树人学院
    rows[29][5] = "民办"  # 浙江万里学院 (公办民助 in its own words)
    rows[29][6] = "省属公办民助"
    return Table(
        ["学校标识码", "学校名称", "主管部门", "所在地", "办学层次", "办学性质", "备注"],
        rows,
        ctx.as_of,
    )


# --------------------------------------------------------------------------- 杭州


def water_usage(ctx: Ctx) -> Table:
    rows = []
    for district in DISTRICTS["杭州市"]:
        size = ctx.rng.uniform(600, 1600)
        for kind, share, per in (("居民", 0.55, 3.2), ("非居民", 0.4, 0.25), ("特种", 0.05, 0.01)):
            users = int(size * share * per * 1000 * ctx.rng.uniform(0.8, 1.2))
            history = {}
            for month in last_months(ctx.as_of, 36):
                summer = seasonal(month, mean=1.0, amplitude=0.16, peak_day=210)
                value = (
                    size
                    * share
                    * summer
                    * (1 + 0.03 * (month.year - 2024))
                    * ctx.rng.uniform(0.97, 1.03)
                )
                before = history.get(month.month)
                history[month.month] = value
                if before is not None:
                    rows.append(
                        [
                            month.strftime("%Y-%m"),
                            district,
                            kind,
                            dec(value, 2),
                            users,
                            dec(100 * (value / before - 1), 2),
                        ]
                    )
    columns = ["统计月份", "行政区", "用水性质", "用水量", "用户数", "同比增长率"]
    return Table(columns, rows, ctx.as_of, sheet="用水量统计")


QIANDAO_POINTS = [
    "千岛湖取水口",
    "分水江汇合口",
    "闲林水库",
    "九溪水厂进水",
    "祥符水厂进水",
    "赤山埠水厂进水",
]


def qiandao_water(ctx: Ctx) -> Table:
    rows = []
    for point in QIANDAO_POINTS:
        for month in last_months(ctx.as_of, 24):
            temp = seasonal(month, mean=18.5, amplitude=9.5, peak_day=215)
            tp = ctx.rng.uniform(0.012, 0.028)
            rows.append([point, month.strftime("%Y-%m"), dec(temp + ctx.rng.gauss(0, 0.6), 1), dec(ctx.rng.uniform(7.4, 8.2), 2),
                         dec(11.5 - temp * 0.18 + ctx.rng.gauss(0, 0.3), 2), dec(ctx.rng.uniform(1.4, 2.2), 2), dec(tp, 3),
                         dec(ctx.rng.uniform(0.6, 3.5), 2), "Ⅰ类" if tp < 0.02 and ctx.rng.random() < 0.6 else "Ⅱ类"])  # fmt: skip
    columns = [
        "监测点位",
        "监测月份",
        "水温",
        "pH值",
        "溶解氧",
        "高锰酸盐指数",
        "总磷",
        "浑浊度",
        "水质类别",
    ]
    return Table(columns, rows, ctx.as_of)


def qiandao_report(ctx: Ctx) -> Report:
    table = qiandao_water(ctx)
    month = table.rows[-1][1]
    latest = [r for r in table.rows if r[1] == month]
    return Report(
        "千岛湖配水工程水源水质月报",
        f"{month.replace('-', '年')}月 · 杭州水务集团有限公司",
        [
            f"本月对配水工程沿线{len(latest)}个点位开展了水质监测，各点位水质均达到或优于《地表水环境质量标准》"
            "（GB 3838-2002）Ⅱ类标准，满足集中式生活饮用水地表水源地要求。",
            "受季节变化影响，水温与溶解氧呈此消彼长的规律；总磷、高锰酸盐指数保持稳定。"
            "本报告为演示数据，不代表真实监测结果。",
        ],
        ctx.as_of,
        table=Table(table.columns, latest, ctx.as_of),
    )


def water_service_points(ctx: Ctx) -> Table:
    rows = []
    for n in range(46):
        district, (lon, lat) = district_point(ctx.rng, "杭州市")
        main = n < 8
        rows.append([f"杭州水务{district[:2]}{'营业厅' if main else '便民服务点'}{'' if main else n}", district, address(ctx.rng, "杭州市", district),
                     "周一至周日 8:30-17:00" if main else "工作日 9:00-16:30", "新装、过户、缴费、发票、水表报修、用水咨询" if main else "缴费、发票、用水咨询",
                     phone(ctx.rng, "0571"), lon, lat])  # fmt: skip
    columns = ["网点名称", "所在区", "地址", "服务时间", "可办业务", "服务电话", "经度", "纬度"]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


def effective_month(day: dt.date) -> dt.date:
    """A tariff decided on `day` takes effect on the first day of the next month."""
    return months_back(day, -1)


def taxi_fares(ctx: Ctx) -> Table:
    """Version 1: the fares in force since 2019; later versions: the adjustment that followed."""
    adjusted = ctx.version > 1
    since = effective_month(ctx.as_of) if adjusted else dt.date(2019, 7, 1)
    rows = []
    for kind, start, per_km, waiting in (
        ("普通巡游车", 11, 2.5, 0.5),
        ("新能源巡游车", 11, 2.5, 0.5),
        ("大型巡游车（7座）", 13, 3.0, 0.6),
    ):
        rows.append(
            [
                kind,
                dec(start + (2 if adjusted else 0), 1),
                dec(3, 1),
                dec(per_km + (0.3 if adjusted else 0), 2),
                dec(waiting, 1),
                "23:00至次日5:00起步价和里程单价上浮20%；超过10公里部分加收50%返空费",
                since,
            ]
        )
    columns = ["车型", "起步价", "起步里程", "里程单价", "候时费", "夜间附加", "执行日期"]
    return Table(columns, rows, ctx.as_of)


def bike_stations(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 3601):
        district, (lon, lat) = district_point(ctx.rng, "杭州市")
        road = ctx.rng.choice(ROADS["杭州市"])
        rows.append([f"{seq:05d}", f"{road}{ctx.rng.choice(('口', '东', '西', '南', '北', '地铁站', '公交站', '小区'))}", district,
                     address(ctx.rng, "杭州市", district), ctx.rng.choice((15, 20, 25, 30, 30, 40, 50)), "6:00-21:00" if seq % 4 else "全天",
                     seq % 4 == 0, lon, lat])  # fmt: skip
    columns = [
        "服务点编号",
        "服务点名称",
        "所在区",
        "地址",
        "锁止器数量",
        "服务时间",
        "是否24小时",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


# --------------------------------------------------------------------------- 宁波、温州

SHIP_WORDS = [
    "远航",
    "海丰",
    "宁海",
    "舟港",
    "甬兴",
    "东方",
    "中海",
    "新明",
    "长荣",
    "华航",
    "顺达",
    "港泰",
]


def ship_movements(ctx: Ctx) -> Table:
    rows = []
    ships = [
        (
            f"413{ctx.rng.randrange(10**6):06d}",
            f"{ctx.rng.choice(SHIP_WORDS)}{ctx.rng.choice(('之星', '号', '宁波', '舟山', '8', '16', '22'))}",
        )
        for _ in range(160)
    ]
    berths = [
        f"{area}{n}号泊位"
        for area in (
            "北仑第二集装箱码头",
            "穿山港区",
            "大榭招商码头",
            "梅山港区",
            "镇海港区",
            "金塘港区",
        )
        for n in range(1, 7)
    ]
    for hour in hours_back(ctx.at, 48):
        for _ in range(ctx.rng.randint(8, 16)):
            mmsi, name = ctx.rng.choice(ships)
            kind = weighted(
                ctx.rng,
                {"集装箱船": 55, "散货船": 20, "油轮": 12, "液化气船": 4, "滚装船": 3, "杂货船": 6},
            )
            when = hour + dt.timedelta(minutes=ctx.rng.randrange(60))
            rows.append(
                [
                    mmsi,
                    name,
                    kind,
                    ctx.rng.choice(("进港", "出港")),
                    ctx.rng.choice(berths),
                    when,
                    dec(ctx.rng.uniform(3000, 180000), 0),
                ]
            )
    columns = ["船舶识别号", "船名", "船舶类型", "进出港标识", "泊位", "动态时间", "载货量"]
    return Table(columns, rows, ctx.as_of)


PORT_AREAS = {"北仑港区": (2900, 110), "穿山港区": (1500, 95), "大榭港区": (1300, 45), "梅山港区": (900, 70), "镇海港区": (2300, 8), "金塘港区": (500, 18), "衢山港区": (1700, 0), "六横港区": (1100, 0)}  # fmt: skip


def port_throughput(ctx: Ctx) -> Table:
    rows = []
    for area, (cargo, teu) in PORT_AREAS.items():
        history = {}
        for month in last_months(ctx.as_of, 48):
            trend = 1.05 ** (month.year - 2024 + month.month / 12)
            dip = 0.86 if month.month == 2 else 1.0
            value_teu = teu * trend * dip * ctx.rng.uniform(0.95, 1.05)
            before = history.get(month.month)
            history[month.month] = value_teu
            if before is None:
                continue
            rows.append([month.strftime("%Y-%m"), area, dec(cargo * trend * dip * ctx.rng.uniform(0.95, 1.05), 1), dec(value_teu, 2),
                         dec(cargo * 0.55 * trend * dip * ctx.rng.uniform(0.9, 1.1), 1), dec(100 * (value_teu / before - 1), 1) if teu else None])  # fmt: skip
    columns = ["统计月份", "港区", "货物吞吐量", "集装箱吞吐量", "外贸货物吞吐量", "集装箱同比增长"]
    return Table(columns, rows, ctx.as_of, sheet="吞吐量")


WZ_COUNTY_CODES = dict(zip(DISTRICTS["温州市"], ["330302", "330303", "330304", "330305", "330381", "330382", "330324", "330326", "330327", "330383"], strict=True))  # fmt: skip


def medical_insurance_points(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 1101):
        district = ctx.rng.choice(list(WZ_COUNTY_CODES))
        pharmacy = ctx.rng.random() < 0.62
        code = f"{'P' if pharmacy else 'H'}{WZ_COUNTY_CODES[district]}{seq:05d}"
        name = (
            names.company(
                "温州",
                ctx.rng.choice(("大药房", "医药", "药店")),
                "有限公司" if ctx.rng.random() < 0.5 else "",
            )
            if pharmacy
            else f"{district}{ctx.rng.choice(('人民医院', '中医院', '社区卫生服务中心', '卫生院', '口腔门诊部', '诊所'))}{'' if seq % 5 else '分院'}"
        )
        rows.append([code, name, "零售药店" if pharmacy else "医疗机构", district, address(ctx.rng, "温州市", district),
                     day_between(ctx.rng, ctx.as_of + dt.timedelta(days=30), add_years(ctx.as_of, 3))])  # fmt: skip
    columns = ["机构编码", "机构名称", "机构类型", "所在区县", "地址", "协议有效期至"]
    return Table(columns, rows, ctx.as_of)


def care_insurance_institutions(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 181):
        district = ctx.rng.choice(list(WZ_COUNTY_CODES))
        kind = weighted(ctx.rng, {"养老机构": 5, "医疗机构": 2, "居家护理机构": 3})
        name = names.company(
            "温州",
            {"养老机构": "颐养院", "医疗机构": "护理院", "居家护理机构": "居家养老服务"}[kind],
            "" if kind != "居家护理机构" else "中心",
        )
        beds = 0 if kind == "居家护理机构" else ctx.rng.randint(40, 600)
        rows.append([f"L{WZ_COUNTY_CODES[district]}{seq:04d}", name, kind, "居家护理" if kind == "居家护理机构" else ctx.rng.choice(("机构护理", "机构护理、居家护理")),
                     district, beds, address(ctx.rng, "温州市", district), day_between(ctx.rng, ctx.as_of + dt.timedelta(days=60), add_years(ctx.as_of, 2))])  # fmt: skip
    columns = [
        "机构编码",
        "机构名称",
        "机构类型",
        "服务方式",
        "所在区县",
        "床位数",
        "地址",
        "协议有效期至",
    ]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 江苏

JS_HAZARD_WEIGHTS = {
    "南京市": 6,
    "镇江市": 4,
    "徐州市": 4,
    "连云港市": 4,
    "常州市": 2,
    "无锡市": 2,
    "苏州市": 2,
    "宿迁市": 1,
    "淮安市": 1,
    "扬州市": 1,
}


def geohazards(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 901):
        city = weighted(ctx.rng, JS_HAZARD_WEIGHTS)
        county = ctx.rng.choice(counties_of(JS_CITY_CODES[city]))
        kind = weighted(ctx.rng, {"滑坡": 35, "崩塌": 40, "地面塌陷": 18, "泥石流": 2, "地裂缝": 5})
        scale = weighted(ctx.rng, {"小型": 80, "中型": 16, "大型": 3.5, "特大型": 0.5})
        threatened = int(
            {"小型": 12, "中型": 60, "大型": 220, "特大型": 800}[scale] * ctx.rng.uniform(0.3, 1.8)
        )
        lon, lat = jitter(ctx.rng, CITIES["江苏省"][city], 18)
        rows.append(
            [
                f"{JS_CITY_CODES[city][:4]}{seq:05d}",
                kind,
                scale,
                threatened,
                county,
                lon,
                lat,
                f"{county}自然资源和规划局",
            ]
        )
    columns = [
        "隐患点编号",
        "灾害类型",
        "规模等级",
        "威胁人数",
        "所在县区",
        "经度",
        "纬度",
        "责任单位",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


LAND_USES = {"工业用地": (40, 28), "城镇住宅用地": (22, 1800), "商服用地": (10, 900), "仓储用地": (6, 35), "公共管理与公共服务用地": (12, 0), "交通运输用地": (6, 0), "公用设施用地": (4, 0)}  # fmt: skip


def land_supply(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 1801):
        city = weighted(
            ctx.rng, {c: 3 if c in ("苏州市", "南京市", "无锡市") else 1 for c in JS_CITY_CODES}
        )
        county = ctx.rng.choice(counties_of(JS_CITY_CODES[city]))
        use = weighted(ctx.rng, {k: v[0] for k, v in LAND_USES.items()})
        area = ctx.rng.lognormvariate(1.0, 0.9)
        allocated = LAND_USES[use][1] == 0
        method = (
            "划拨"
            if allocated
            else weighted(ctx.rng, {"挂牌出让": 80, "拍卖出让": 8, "协议出让": 6, "招标出让": 6})
        )
        price = (
            None if allocated else dec(area * 15 * LAND_USES[use][1] * ctx.rng.uniform(0.6, 1.6), 2)
        )
        signed = day_between(
            ctx.rng, last_months(ctx.as_of, 6)[0], ctx.as_of - dt.timedelta(days=5)
        )
        project = names.company(
            city, ctx.rng.choice(("智能制造", "新材料", "置业", "物流", "生物医药")), "有限公司"
        ) + ("项目用地" if use != "城镇住宅用地" else "住宅项目")
        rows.append([f"{JS_CITY_CODES[city][:4]}{ctx.rng.choice(('02', '05', '06', '11', '12', '81'))}{signed.year}B{seq:05d}", project, f"{city}{county}",
                     f"{county}{ctx.rng.choice(('经济开发区', '高新区', '街道', '镇'))}{ctx.rng.choice(('东', '西', '南', '北'))}侧地块", dec(area, 4), use, method, price, signed])  # fmt: skip
    rows.sort(key=lambda r: r[-1])
    columns = [
        "电子监管号",
        "项目名称",
        "所在市县",
        "宗地坐落",
        "面积",
        "土地用途",
        "供地方式",
        "成交价格",
        "签订日期",
    ]
    return Table(columns, rows, ctx.as_of, sheet="供地结果")


JS_PROTECTED = [
    ("盐城湿地珍禽国家级自然保护区", "自然保护区", "国家级", 247260, "盐城市"), ("大丰麋鹿国家级自然保护区", "自然保护区", "国家级", 78000, "盐城市"),
    ("泗洪洪泽湖湿地国家级自然保护区", "自然保护区", "国家级", 49365, "宿迁市"), ("钟山风景名胜区", "风景名胜区", "国家级", 4500, "南京市"),
    ("太湖风景名胜区", "风景名胜区", "国家级", 88800, "无锡市"), ("云台山风景名胜区", "风景名胜区", "国家级", 17000, "连云港市"),
    ("蜀冈—瘦西湖风景名胜区", "风景名胜区", "国家级", 1530, "扬州市"), ("三山风景名胜区", "风景名胜区", "国家级", 4200, "镇江市"),
    ("紫金山国家森林公园", "森林公园", "国家级", 3008, "南京市"), ("虞山国家森林公园", "森林公园", "国家级", 1450, "苏州市"),
    ("溱湖国家湿地公园", "湿地公园", "国家级", 2600, "泰州市"), ("沙家浜国家湿地公园", "湿地公园", "国家级", 400, "苏州市"),
    ("姜堰溱潼湿地", "湿地公园", "省级", 900, "泰州市"), ("铁山寺国家森林公园", "森林公园", "国家级", 7000, "淮安市"),
]  # fmt: skip


def protected_areas(ctx: Ctx) -> Table:
    areas = list(JS_PROTECTED)
    for city in JS_CITY_CODES:
        for kind in ("森林公园", "湿地公园"):
            place = short_place(ctx.rng.choice(counties_of(JS_CITY_CODES[city])))
            areas.append(
                (
                    f"{place}{ctx.rng.choice(('西山', '青龙山', '滨湖', '河口', '白马湖', '荷花荡'))}省级{kind}",
                    kind,
                    "省级",
                    round(ctx.rng.uniform(200, 3000)),
                    city,
                )
            )
    rows, shapes = [], []
    for seq, (name, kind, level, hectares, city) in enumerate(areas, start=1):
        centre = jitter(ctx.rng, CITIES["江苏省"][city], 20)
        rows.append([f"JSBHD{seq:03d}", name, kind, level, dec(hectares, 0), city])
        shapes.append(polygon(ctx.rng, centre, hectares / 100, corners=20))
    return Table(
        ["保护地编码", "保护地名称", "保护地类型", "级别", "面积", "所在市"],
        rows,
        ctx.as_of,
        shapes=shapes,
    )


NJ_METRO = {
    "1号线": "迈皋桥 红山动物园 南京站 新模范马路 玄武门 鼓楼 珠江路 新街口 张府园 三山街 中华门 安德门 天隆寺 软件大道 花神庙 南京南站 双龙大道 河定桥 胜太路 百家湖 小龙湾 竹山路 天印大道 龙眠大道 南医大·江苏经贸学院 南京交院 中国药科大学",
    "2号线": "油坊桥 雨润大街 元通 奥体东 兴隆大街 集庆门大街 云锦路 莫愁湖 汉中门 上海路 新街口 大行宫 西安门 明故宫 苜蓿园 下马坊 孝陵卫 钟灵街 马群 金马路 仙鹤门 学则路 仙林中心 羊山公园 南大仙林校区 经天路",
    "3号线": "林场 星火路 东大成贤学院 泰冯路 天润城 柳洲东路 上元门 五塘广场 小市 南京站 南京林业大学·新庄 鸡鸣寺 浮桥 大行宫 常府街 夫子庙 武定门 雨花门 卡子门 大明路 明发广场 南京南站 宏运大道 胜太西路 天元西路 九龙湖 诚信大道 东大九龙湖校区 秣周东路",
    "4号线": "龙江 南艺·二师·草场门 云南路 鼓楼 鸡鸣寺 九华山 岗子村 蒋王庙 王家湾 聚宝山 徐庄·苏宁总部 金马路 汇通路 灵山 东流 孟北 西岗桦墅 仙林湖",
    "10号线": "雨山路 文德路 龙华路 南京工业大学 浦口万汇城 临江 江心洲 绿博园 梦都大街 奥体中心 元通 中胜 小行 安德门",
}  # fmt: skip


def metro_ridership(ctx: Ctx) -> Table:
    rows = []
    days = days_back(ctx.as_of, 30)
    for metro_line, stations in NJ_METRO.items():
        for station in stations.split():
            base = ctx.rng.lognormvariate(9.4, 0.6)
            hub = station in (
                "新街口",
                "南京站",
                "南京南站",
                "大行宫",
                "鼓楼",
                "鸡鸣寺",
                "元通",
                "安德门",
                "金马路",
            )
            for day in days:
                weekend = day.weekday() >= 5
                entries = int(base * (0.78 if weekend else 1.0) * ctx.rng.uniform(0.92, 1.08))
                rows.append(
                    [
                        day,
                        metro_line,
                        station,
                        entries,
                        int(entries * ctx.rng.uniform(0.94, 1.06)),
                        int(entries * (0.9 if hub else 0.05) * ctx.rng.uniform(0.8, 1.2)),
                    ]
                )
    rows.sort(key=lambda r: (r[0], r[1]))
    return Table(["统计日期", "线路", "车站", "进站量", "出站量", "换乘量"], rows, ctx.as_of)


def nj_parking(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 1201):
        district, (lon, lat) = district_point(ctx.rng, "南京市")
        kind = weighted(ctx.rng, {"地面": 4, "地下": 5, "立体": 1})
        spaces = ctx.rng.randint(30, 120) if kind == "地面" else ctx.rng.randint(80, 1200)
        rows.append([f"NJTC{seq:05d}", f"{ctx.rng.choice(ROADS['南京市'])}{ctx.rng.choice(('', '东', '西', '南', '北'))}{ctx.rng.choice(('公共停车场', '停车库', '商业广场停车场', '医院停车场', '地铁站停车场'))}",
                     kind, district, address(ctx.rng, "南京市", district), spaces, int(spaces * ctx.rng.choice((0, 0.05, 0.1, 0.2))),
                     dec(ctx.rng.choice((2, 3, 4, 5, 6, 8, 10)), 1), "全天" if ctx.rng.random() < 0.7 else "7:00-22:00", lon, lat])  # fmt: skip
    columns = [
        "停车场编号",
        "停车场名称",
        "停车场类型",
        "所在区",
        "地址",
        "总泊位数",
        "充电泊位数",
        "首小时收费",
        "开放时间",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


def gas_prices(ctx: Ctx) -> Table:
    """Version 1: the 2023 tariff; later versions: the adjustment that followed."""
    adjusted = ctx.version > 1
    up = 0.18 if adjusted else 0.0
    if adjusted:
        when = effective_month(ctx.as_of)
        doc = f"苏发改价〔{ctx.as_of.year}〕{40 + ctx.as_of.month}号"
    else:
        when, doc = dt.date(2023, 7, 1), "苏发改价〔2023〕31号"
    rows = [
        ["居民", "第一档", "0-300（含）", dec(2.95 + up), when, doc],
        ["居民", "第二档", "300-600（含）", dec(3.54 + up), when, doc],
        ["居民", "第三档", "600以上", dec(4.43 + up), when, doc],
        ["非居民", "工商业", "不分档", dec(3.86 + up * 1.2), when, doc],
        ["非居民", "学校、养老机构等", "不分档", dec(3.07 + up), when, doc],
        ["非居民", "燃气汽车", "不分档", dec(4.60 + up * 1.5), when, doc],
    ]
    return Table(
        ["用户类别", "阶梯", "年用气量区间", "销售价格", "执行日期", "价格文件"], rows, ctx.as_of
    )


def gas_service_points(ctx: Ctx) -> Table:
    rows = []
    for n, district in enumerate(list(DISTRICTS["苏州市"]) * 4):
        main = n < 6
        rows.append([f"港华燃气{district[:2]}{'客户服务中心' if main else f'营业网点{n}'}", district, address(ctx.rng, "苏州市", district),
                     "周一至周日 8:30-17:00" if main else "工作日 9:00-16:30", "开户、过户、缴费、发票、安检预约、燃气具销售" if main else "缴费、发票、报修受理", "0512-96008"])  # fmt: skip
    return Table(
        ["网点名称", "所在区", "地址", "营业时间", "可办业务", "服务热线"], rows, ctx.as_of
    )


# --------------------------------------------------------------------------- 上海

SH_PRICE = {"黄浦区": 12.5, "徐汇区": 10.5, "长宁区": 10.0, "静安区": 11.5, "普陀区": 7.5, "虹口区": 8.5, "杨浦区": 8.0, "浦东新区": 8.5, "闵行区": 6.8, "宝山区": 5.6, "嘉定区": 4.8, "金山区": 2.6, "松江区": 4.2, "青浦区": 4.4, "奉贤区": 3.2, "崇明区": 2.4}  # fmt: skip


def housing_sales(ctx: Ctx) -> Table:
    rows = []
    for day in days_back(ctx.as_of, 90):
        weekend = day.weekday() >= 5
        for district, price in SH_PRICE.items():
            for kind, volume in (("新建商品房", 1.0), ("存量房", 2.4)):
                units = max(
                    0,
                    int(
                        ctx.rng.gauss(18 * volume, 6 * volume)
                        * (1.35 if weekend else 1.0)
                        * (0.6 if price > 10 else 1.0)
                    ),
                )
                area = units * ctx.rng.uniform(78, 112)
                avg = (
                    price
                    * 10000
                    * (1.12 if kind == "新建商品房" else 0.92)
                    * ctx.rng.uniform(0.93, 1.07)
                )
                rows.append([day, district, kind, units, dec(area, 2), dec(avg if units else 0, 0)])
    return Table(
        ["备案日期", "区", "房屋类型", "成交套数", "成交面积", "成交均价"], rows, ctx.as_of
    )


def dust_monitoring(ctx: Ctx) -> Table:
    sites = []
    for n in range(1, 201):
        district = ctx.rng.choice(list(DISTRICTS["上海市"]))
        sites.append(
            (
                f"SHGD{n:04d}",
                f"{district}{ctx.rng.choice(ROADS['上海市'])}{ctx.rng.choice(('住宅', '商业办公', '地铁站', '学校', '道路改建'))}项目",
                ctx.rng.uniform(0.7, 1.4),
            )
        )
    rows = []
    for when in hours_back(ctx.at, 24):
        working = 7 <= when.hour <= 18
        for code, name, factor in sites:
            pm = max(
                8.0, 45 * factor * (1.35 if working else 0.8) * ctx.rng.lognormvariate(0, 0.25)
            )
            noise = (68 if working else 52) + ctx.rng.gauss(0, 4)
            rows.append(
                [code, name, dec(pm, 1), dec(noise, 1), dec(abs(ctx.rng.gauss(2.4, 1.2)), 1), when]
            )
    return Table(
        ["工地编号", "工程名称", "颗粒物浓度", "噪声", "风速", "监测时间"], rows, ctx.as_of
    )


def rental_housing(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 481):
        district = weighted(ctx.rng, {d: 3 if p < 7 else 1 for d, p in SH_PRICE.items()})
        units = ctx.rng.choice((120, 200, 300, 450, 600, 800, 1200, 2000))
        rent = SH_PRICE[district] * ctx.rng.uniform(8.5, 12)
        rows.append([f"沪保租认〔{ctx.rng.choice((2022, 2023, 2024, 2025))}〕{seq:04d}号", f"{names.company('上海', '', '')}{ctx.rng.choice(('人才公寓', '青年社区', '租赁住宅', '城市公寓'))}",
                     district, address(ctx.rng, "上海市", district), units, ctx.rng.choice(("一室户、一室一厅", "一室一厅、两室一厅", "宿舍型、一室户")),
                     dec(rent, 1), "已供应" if ctx.rng.random() < 0.7 else "在建"])  # fmt: skip
    columns = [
        "项目认定书编号",
        "项目名称",
        "所在区",
        "地址",
        "房源套数",
        "主要户型",
        "月租金",
        "供应状态",
    ]
    return Table(columns, rows, ctx.as_of)


SH_DISTRICT_CODES = dict(
    zip(
        DISTRICTS["上海市"],
        [
            "101",
            "104",
            "105",
            "106",
            "107",
            "109",
            "110",
            "112",
            "113",
            "114",
            "115",
            "116",
            "117",
            "118",
            "120",
            "151",
        ],
        strict=True,
    )
)
QUALIFICATIONS = [
    "建筑工程施工总承包",
    "市政公用工程施工总承包",
    "机电工程施工总承包",
    "建筑装修装饰工程专业承包",
    "地基基础工程专业承包",
    "钢结构工程专业承包",
    "消防设施工程专业承包",
    "环保工程专业承包",
]


def construction_qualifications(ctx: Ctx) -> Table:
    """3,000 rows, published as UTF-8 with BOM so that spreadsheet software opens it cleanly."""
    names, rows = Names(ctx.rng), []
    for seq in range(1, 3001):
        qualification = ctx.rng.choice(QUALIFICATIONS)
        grade = weighted(
            ctx.rng,
            {"特级": 0.3, "一级": 12, "二级": 38, "三级": 50}
            if "总承包" in qualification
            else {"一级": 20, "二级": 80},
        )
        issued = day_between(
            ctx.rng,
            add_years(ctx.as_of, -5) + dt.timedelta(days=20),
            ctx.as_of - dt.timedelta(days=1),
        )
        district = ctx.rng.choice(list(DISTRICTS["上海市"]))
        rows.append([f"D{'2' if grade in ('特级', '一级') else '3'}31{seq * 37 % 1000000:06d}", names.company("上海", ctx.rng.choice(("建设", "建筑工程", "装饰工程", "机电安装", "市政工程"))),
                     credit_code(ctx.rng, "310" + SH_DISTRICT_CODES[district]), qualification, grade, issued, add_years(issued, 5) - dt.timedelta(days=1)])  # fmt: skip
    columns = [
        "证书编号",
        "企业名称",
        "统一社会信用代码",
        "资质类别",
        "资质等级",
        "发证日期",
        "有效期至",
    ]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 福建

TREES = [("榕树", "桑科 榕属", 5), ("樟树", "樟科 樟属", 6), ("马尾松", "松科 松属", 3), ("枫香", "金缕梅科 枫香树属", 3), ("南方红豆杉", "红豆杉科 红豆杉属", 1),
         ("柳杉", "柏科 柳杉属", 2), ("银杏", "银杏科 银杏属", 1), ("龙眼", "无患子科 龙眼属", 2), ("荔枝", "无患子科 荔枝属", 1.5), ("朴树", "大麻科 朴属", 1.5),
         ("重阳木", "叶下珠科 秋枫属", 1), ("罗汉松", "罗汉松科 罗汉松属", 1), ("苦槠", "壳斗科 锥属", 2), ("福建柏", "柏科 福建柏属", 0.8), ("闽楠", "樟科 楠属", 1)]  # fmt: skip
FJ_CITY_CODES = dict(
    zip(
        CITIES["福建省"],
        ["350100", "350200", "350300", "350400", "350500", "350600", "350700", "350800", "350900"],
        strict=True,
    )
)


def ancient_trees(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 3001):
        city = weighted(
            ctx.rng,
            {
                "南平市": 3,
                "三明市": 3,
                "龙岩市": 2.5,
                "宁德市": 2,
                "福州市": 2,
                "泉州市": 1.5,
                "漳州市": 1.5,
                "莆田市": 1,
                "厦门市": 0.6,
            },
        )
        code, county = ctx.rng.choice(county_codes_of(FJ_CITY_CODES[city]))
        species, family, _w = ctx.rng.choices(TREES, weights=[t[2] for t in TREES])[0]
        age = int(ctx.rng.lognormvariate(5.4, 0.45))
        grade = "一级" if age >= 500 else ("二级" if age >= 300 else "三级")
        if ctx.rng.random() < 0.01:
            grade = "名木"
        lon, lat = jitter(ctx.rng, CITIES["福建省"][city], 35)
        rows.append(
            [
                f"{code}{seq:05d}",
                species,
                family,
                age,
                grade,
                int(age * ctx.rng.uniform(0.6, 1.4) + 80),
                dec(ctx.rng.uniform(8, 32), 1),
                county,
                lon,
                lat,
            ]
        )
    columns = [
        "古树编号",
        "树种",
        "科属",
        "估测树龄",
        "保护等级",
        "胸围",
        "树高",
        "所在县区",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


FIRE_TIPS = {1: "火险等级低，林区用火仍须审批。", 2: "火险等级较低，注意野外用火安全。", 3: "火险等级较高，严禁野外违规用火。",
             4: "火险等级高，林区严禁一切野外用火，加强巡护。", 5: "火险等级极高，启动应急响应，全面禁止野外用火。"}  # fmt: skip


def fire_risk(ctx: Ctx) -> Table:
    rows = []
    tomorrow = ctx.as_of + dt.timedelta(days=1)
    dry = 1.0 + 0.9 * math.cos(2 * math.pi * (tomorrow.timetuple().tm_yday - 20) / 365.25)
    for city, code in FJ_CITY_CODES.items():
        for county in counties_of(code):
            level = max(1, min(5, round(dry + 1 + ctx.rng.gauss(0, 0.7))))
            rows.append(
                [
                    tomorrow,
                    city,
                    county,
                    level,
                    ("低", "较低", "较高", "高", "极高")[level - 1],
                    FIRE_TIPS[level],
                ]
            )
    table = Table(
        ["预报日期", "设区市", "县区", "火险等级", "火险描述", "防火提示"], rows, ctx.as_of
    )
    table.root, table.item = "forestFireForecast", "county"
    return table


XM_TERMINALS = [
    "第一码头",
    "厦门火车站",
    "前埔枢纽站",
    "湖里公园",
    "高崎机场",
    "五缘湾",
    "集美学村",
    "杏林",
    "海沧湾公园",
    "同安枢纽站",
    "翔安新城",
    "软件园三期",
    "厦门北站",
    "马銮湾",
    "思明南路",
    "中山路",
    "轮渡",
    "会展中心",
    "厦门大学",
    "环岛路",
]


def xm_bus_lines(ctx: Ctx) -> Table:
    rows = []
    for n in range(1, 381):
        start, end = ctx.rng.sample(XM_TERMINALS, 2)
        length = ctx.rng.uniform(9, 42)
        rows.append([f"{n:03d}", f"{n}路", start, end, f"0{ctx.rng.randint(5, 6)}:{ctx.rng.choice(('00', '20', '30', '40'))}",
                     f"{ctx.rng.randint(21, 23)}:{ctx.rng.choice(('00', '30'))}", dec(1 if length < 20 else 2, 0), dec(length, 1), ctx.rng.randint(6, 32)])  # fmt: skip
    return Table(
        [
            "线路编号",
            "线路名称",
            "起点站",
            "终点站",
            "首班时间",
            "末班时间",
            "票价",
            "线路长度",
            "配车数",
        ],
        rows,
        ctx.as_of,
    )


BRT_STOPS = [
    "第一码头",
    "开禾路口",
    "思北",
    "斗西路",
    "二市",
    "文灶",
    "金榜公园",
    "火车站",
    "前埔枢纽站",
    "县后",
    "体育中心",
    "莲坂",
    "卧龙晓城",
    "东芳山庄",
    "洪文",
    "石村",
    "蔡塘",
    "金山",
    "市政务服务中心",
    "双十中学",
    "枋湖",
    "园博苑",
    "集美学村",
    "诚毅学院",
    "华侨大学",
    "大学城",
    "厦门北站",
]


def brt_network(ctx: Ctx) -> Table:
    """BRT lines as LineStrings and their stops as Points, one feature per row."""
    start = (118.072, 24.462)
    points = walk(ctx.rng, start, len(BRT_STOPS), km=1.1)
    # Bend the walk northwards: the trunk runs from Xiamen Island to the north station.
    points = [
        (round(lon + 0.001 * i, 5), round(24.462 + 0.0068 * i, 5))
        for i, (lon, _lat) in enumerate(points)
    ]
    rows, shapes = [], []
    for number, (first, last) in {"快1线": (0, 26), "快2线": (8, 20), "快3线": (0, 14)}.items():
        rows.append(["线路", f"BRT{number}（{BRT_STOPS[first]}—{BRT_STOPS[last]}）", number, None])
        shapes.append(line(points[first : last + 1]))
    for order, (name, point) in enumerate(zip(BRT_STOPS, points, strict=True), start=1):
        rows.append(["站点", f"{name}站", "快1线", order])
        shapes.append({"type": "Point", "coordinates": list(point)})
    return Table(["要素类型", "名称", "线路编号", "站序"], rows, ctx.as_of, shapes=shapes)
