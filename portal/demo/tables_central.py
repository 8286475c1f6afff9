"""File builders for the central bodies' datasets: statistics (国家统计局), water (水利部),
weather (中国气象局) and medical insurance (国家医保局)."""

from __future__ import annotations

import datetime as dt
import math
import random

from portal.demo.formats import Bundle, Report, Table, csv_bytes
from portal.demo.places import PROVINCES, all_counties, cities_of, jitter, provinces, short_place
from portal.demo.values import (
    Ctx,
    dec,
    hours_back,
    last_months,
    months_back,
    seasonal,
    weighted,
)

# 2024 GDP (亿元) and the share of the primary industry, by province.
GDP_2024 = {
    "北京市": (49843, 0.002), "天津市": (18024, 0.015), "河北省": (47527, 0.10), "山西省": (25494, 0.06), "内蒙古自治区": (26314, 0.11),
    "辽宁省": (32613, 0.09), "吉林省": (14361, 0.12), "黑龙江省": (16476, 0.22), "上海市": (53927, 0.002), "江苏省": (137008, 0.04),
    "浙江省": (90131, 0.03), "安徽省": (50625, 0.07), "福建省": (57761, 0.05), "江西省": (34203, 0.08), "山东省": (98566, 0.07),
    "河南省": (63590, 0.09), "湖北省": (60013, 0.09), "湖南省": (53231, 0.09), "广东省": (141634, 0.04), "广西壮族自治区": (28649, 0.16),
    "海南省": (7935, 0.19), "重庆市": (32193, 0.07), "四川省": (64697, 0.10), "贵州省": (22667, 0.14), "云南省": (31534, 0.14),
    "西藏自治区": (2765, 0.09), "陕西省": (35538, 0.08), "甘肃省": (13002, 0.13), "青海省": (3951, 0.10), "宁夏回族自治区": (5503, 0.08),
    "新疆维吾尔自治区": (20534, 0.14),
}  # fmt: skip
QUARTER_SHARE = (0.225, 0.475, 0.73, 1.0)


def _growth(rng: random.Random, names) -> dict[str, float]:
    return {name: rng.uniform(0.038, 0.068) for name in names}


def gdp_quarterly(ctx: Ctx) -> Table:
    """Cumulative quarterly GDP of the 31 provinces, up to the last quarter published (a
    quarter's figures come out about three weeks after it ends)."""
    rows = []
    growth = _growth(ctx.rng, GDP_2024)
    published = ctx.as_of - dt.timedelta(days=21)
    quarters = [
        (year, quarter)
        for year in range(2021, published.year + 1)
        for quarter in range(1, 5)
        if months_back(dt.date(year, quarter * 3, 1), -1) <= published
    ]
    for year, quarter in quarters:
        for name, (base, primary) in GDP_2024.items():
            total = (
                base
                * (1 + growth[name]) ** (year - 2024)
                * QUARTER_SHARE[quarter - 1]
                * ctx.rng.uniform(0.99, 1.01)
            )
            first = total * primary * (0.6 if quarter == 1 else 1.0)
            second = total * ctx.rng.uniform(0.34, 0.46)
            real = 100 * (growth[name] - 0.005 + ctx.rng.gauss(0, 0.004))
            rows.append(
                [
                    f"{year}年第{quarter}季度",
                    name,
                    dec(total, 2),
                    dec(first, 2),
                    dec(second, 2),
                    dec(total - first - second, 2),
                    dec(real, 1),
                ]
            )
    columns = [
        "季度",
        "地区",
        "地区生产总值",
        "第一产业增加值",
        "第二产业增加值",
        "第三产业增加值",
        "累计增速",
    ]
    return Table(columns, rows, ctx.as_of, sheet="地区生产总值")


CPI_CLASSES = {"总指数": (0.0011, 0.0022), "食品烟酒": (0.0012, 0.0075), "衣着": (0.0008, 0.0015), "居住": (0.0006, 0.0012),
               "生活用品及服务": (0.0003, 0.0015), "交通通信": (-0.0002, 0.006), "教育文化娱乐": (0.0012, 0.0025),
               "医疗保健": (0.0010, 0.0010), "其他用品及服务": (0.0025, 0.004)}  # fmt: skip


def _index_series(
    rng: random.Random, months: list[dt.date], drift: float, sd: float
) -> list[tuple[float, float, float]]:
    """(month-on-month, year-on-year, fixed-base 2020=100) for each month, consistent with
    each other: one monthly ratio series and its running products."""
    ratios, level, out = [], 100.0, []
    for month in months:
        festival = 0.004 if month.month in (1, 2) else (-0.002 if month.month == 3 else 0.0)
        ratio = 1 + drift + festival + rng.gauss(0, sd)
        ratios.append(ratio)
        level *= ratio
        yoy = math.prod(ratios[-12:]) if len(ratios) >= 12 else None
        out.append((ratio * 100, yoy * 100 if yoy else None, level))
    return out


def cpi_monthly(ctx: Ctx) -> Table:
    rows = []
    months, month, latest = [], dt.date(2021, 1, 1), last_months(ctx.as_of, 1)[0]
    while month <= latest:
        months.append(month)
        month = months_back(month, -1)
    series = [("全国", c, d, s) for c, (d, s) in CPI_CLASSES.items()] + [
        (p, "总指数", 0.0011 + ctx.rng.gauss(0, 0.0002), 0.0025) for p in GDP_2024
    ]
    for region, cls, drift, sd in series:
        for month, (mom, yoy, base) in zip(
            months, _index_series(ctx.rng, months, drift, sd), strict=True
        ):
            if yoy is not None:
                rows.append(
                    [month.strftime("%Y-%m"), region, cls, dec(yoy, 1), dec(mom, 1), dec(base, 1)]
                )
    rows.sort(key=lambda r: (r[0], r[1] != "全国"))
    return Table(
        ["统计月份", "地区", "指标", "同比指数", "环比指数", "定基指数"],
        rows,
        ctx.as_of,
        sheet="居民消费价格指数",
    )


CITIES_70 = ["北京", "天津", "石家庄", "太原", "呼和浩特", "沈阳", "大连", "长春", "哈尔滨", "上海", "南京", "杭州", "宁波", "合肥", "福州", "厦门", "南昌", "济南", "青岛", "郑州", "武汉", "长沙", "广州", "深圳", "南宁", "海口", "重庆", "成都", "贵阳", "昆明", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "唐山", "秦皇岛", "包头", "丹东", "锦州", "吉林", "牡丹江", "无锡", "徐州", "扬州", "温州", "金华", "蚌埠", "安庆", "泉州", "九江", "赣州", "烟台", "济宁", "洛阳", "平顶山", "宜昌", "襄阳", "岳阳", "常德", "韶关", "湛江", "惠州", "桂林", "北海", "三亚", "泸州", "南充", "遵义", "大理"]  # fmt: skip


def house_prices_70(ctx: Ctx) -> Table:
    rows = []
    months = [months_back(ctx.as_of, i) for i in range(36, 0, -1)]
    for city in CITIES_70:
        tier = 0.001 if city in ("北京", "上海", "广州", "深圳", "杭州", "成都") else -0.001
        for kind, shift in (("新建商品住宅", 0.0), ("二手住宅", -0.002)):
            for month, (mom, yoy, base) in zip(
                months, _index_series(ctx.rng, months, -0.003 + tier + shift, 0.0025), strict=True
            ):
                if yoy is not None:
                    rows.append(
                        [
                            month.strftime("%Y-%m"),
                            city,
                            kind,
                            dec(mom, 1),
                            dec(yoy, 1),
                            dec(base * 0.97, 1),
                        ]
                    )
    rows.sort(key=lambda r: (r[0], CITIES_70.index(r[1])))
    return Table(
        ["统计月份", "城市", "住宅类型", "环比指数", "同比指数", "定基指数"], rows, ctx.as_of
    )


YEARBOOK = [
    ("A0201", "国内生产总值", "亿元", 1349084, 0.075), ("A0202", "人均国内生产总值", "元", 95749, 0.074), ("A0301", "年末总人口", "万人", 140828, -0.001),
    ("A0302", "城镇人口", "万人", 94350, 0.016), ("A0401", "就业人员", "万人", 73439, -0.004), ("A0501", "居民人均可支配收入", "元", 41314, 0.06),
    ("A0502", "居民人均消费支出", "元", 28227, 0.06), ("A0601", "社会消费品零售总额", "亿元", 487895, 0.05), ("A0701", "货物进出口总额", "亿元", 438468, 0.05),
    ("A0801", "一般公共预算收入", "亿元", 219702, 0.03), ("A0901", "粮食产量", "万吨", 70650, 0.01), ("A0902", "肉类产量", "万吨", 9663, 0.012),
    ("A1001", "发电量", "亿千瓦时", 100869, 0.055), ("A1002", "原煤产量", "亿吨", 47.6, 0.035), ("A1003", "粗钢产量", "万吨", 100509, 0.01),
    ("A1004", "汽车产量", "万辆", 3128, 0.05), ("A1101", "铁路营业里程", "万公里", 16.2, 0.03), ("A1102", "公路里程", "万公里", 549, 0.02),
    ("A1201", "民用汽车拥有量", "万辆", 35300, 0.07), ("A1301", "移动电话用户", "万户", 179000, 0.035), ("A1401", "普通高等学校招生数", "万人", 1068, 0.04),
    ("A1501", "卫生技术人员", "万人", 1248, 0.045), ("A1502", "医疗卫生机构床位数", "万张", 1017, 0.04), ("A1601", "国内旅游人次", "亿人次", 56.2, 0.06),
]  # fmt: skip
REGIONAL = [
    ("A0201", "地区生产总值", "亿元"),
    ("A0301", "年末常住人口", "万人"),
    ("A0501", "居民人均可支配收入", "元"),
]
POPULATION = {
    "广东省": 12780,
    "山东省": 10080,
    "河南省": 9785,
    "江苏省": 8526,
    "四川省": 8364,
    "河北省": 7378,
    "浙江省": 6670,
    "湖南省": 6539,
    "安徽省": 6123,
    "湖北省": 5834,
}


def yearbook(ctx: Ctx) -> Table:
    rows = []
    last = ctx.as_of.year - 1 if ctx.as_of.month >= 10 else ctx.as_of.year - 2
    for code, name, unit, value, growth in YEARBOOK:
        for year in range(last - 9, last + 1):
            shock = 0.92 if year == 2020 and code in ("A0601", "A1601", "A0701") else 1.0
            rows.append(
                [
                    code,
                    name,
                    year,
                    "全国",
                    dec(value * (1 + growth) ** (year - 2024) * shock, 2 if value < 100 else 0),
                    unit,
                ]
            )
    for code, name, unit in REGIONAL:
        for province, (gdp, _p) in GDP_2024.items():
            pop = POPULATION.get(province, gdp / 9.5 if gdp > 20000 else gdp / 8.0)
            base = {"A0201": gdp, "A0301": pop, "A0501": 28000 + gdp / pop * 1000 * 0.22}[code]
            growth = {"A0201": 0.06, "A0301": 0.0, "A0501": 0.06}[code]
            for year in range(last - 9, last + 1):
                rows.append(
                    [code, name, year, province, dec(base * (1 + growth) ** (year - 2024), 0), unit]
                )
    return Table(
        ["指标代码", "指标名称", "年度", "地区", "数值", "计量单位"],
        rows,
        ctx.as_of,
        sheet="主要指标",
    )


def yearbook_notes(ctx: Ctx) -> Report:
    return Report(
        "国家统计年鉴主要指标数据 编制说明",
        "国家统计局 · 公共数据开放平台",
        [
            "本数据集收录国民经济和社会发展主要统计指标的年度数据，包括国民经济核算、人口、就业、居民收支、"
            "财政、农业、工业、交通、邮电、教育和卫生等方面，以及分地区的地区生产总值、常住人口和居民人均可支配收入。",
            "数据以最近一次公布的数为准，历史数据按普查结果修订后不再单独说明。价值量指标除注明外按当年价格计算。",
            "指标代码为本数据集内部编码，同一指标在各年度、各地区保持一致，可用于关联查询。"
            "本文件为演示数据的说明文档，数值由演示程序生成，不代表真实统计结果。",
        ],
        ctx.as_of,
        table=Table(
            ["指标代码", "指标名称", "计量单位"],
            [[c, n, u] for c, n, u, _v, _g in YEARBOOK],
            ctx.as_of,
        ),
        table_rows=30,
    )


# --------------------------------------------------------------------------- 水利部

HYDRO_STATIONS = [
    ("60105400", "寸滩", "长江", 165, 183.5), ("60107300", "宜昌", "长江", 42, 53.0), ("60110500", "沙市", "长江", 33, 43.0),
    ("60111300", "莲花塘", "长江", 22, 32.5), ("60112200", "汉口", "长江", 17, 25.0), ("60113400", "九江", "长江", 13, 20.0),
    ("60115000", "大通", "长江", 9, 14.4), ("40104150", "兰州", "黄河", 1513, 1516.5), ("40105150", "头道拐", "黄河", 987, 990.5),
    ("40106100", "龙门", "黄河", 381, 385.0), ("40110100", "潼关", "黄河", 327, 331.0), ("40105400", "花园口", "黄河", 90, 93.8),
    ("40105700", "利津", "黄河", 10, 13.8), ("50101100", "王家坝", "淮河", 24, 27.5), ("50102200", "鲁台子", "淮河", 20, 24.9),
    ("50103100", "蚌埠", "淮河", 16, 20.3), ("80102700", "梧州", "西江", 12, 18.5), ("80103200", "高要", "西江", 7, 11.0),
    ("80201100", "石角", "北江", 5, 11.0), ("81101100", "博罗", "东江", 5, 8.5), ("10501100", "哈尔滨", "松花江", 114, 118.3),
    ("10503100", "佳木斯", "松花江", 76, 79.3), ("20503100", "铁岭", "辽河", 56, 59.0), ("61512000", "城陵矶（七里山）", "洞庭湖", 22, 32.5),
    ("62401000", "星子", "鄱阳湖", 12, 19.0), ("63201000", "太湖平均", "太湖", 3.1, 3.8), ("51208000", "蒋坝", "洪泽湖", 12.4, 13.5),
    ("62301000", "忠庙", "巢湖", 8.5, 10.0),
]  # fmt: skip


def river_stages(ctx: Ctx) -> Table:
    """Hourly stage and discharge at key stations over the last 24 hours (conditional data)."""
    rows = []
    for code, name, river, base, warning in HYDRO_STATIONS:
        level = (
            base
            + (warning - base) * seasonal(ctx.as_of, mean=0.35, amplitude=0.25, peak_day=200)
            + ctx.rng.gauss(0, 0.3)
        )
        flow = ctx.rng.lognormvariate(
            math.log(8000 if river == "长江" else (1500 if river != "太湖" else 300)), 0.4
        )
        for when in hours_back(ctx.at, 24):
            level += ctx.rng.gauss(0, 0.02)
            rows.append(
                [
                    code,
                    name,
                    river,
                    dec(level, 2),
                    dec(flow * ctx.rng.uniform(0.98, 1.02), 0),
                    dec(warning, 2),
                    when,
                ]
            )
    table = Table(
        ["测站编码", "测站名称", "河流", "水位", "流量", "警戒水位", "观测时间"], rows, ctx.as_of
    )
    table.root, table.item = "hydrology", "observation"
    return table


def river_stages_latest(ctx: Ctx) -> Table:
    table = river_stages(ctx)
    latest = {row[0]: row for row in table.rows}
    return Table(table.columns, list(latest.values()), ctx.as_of)


CENSUS_KINDS = {"河流": ("长度（公里）", 40, 220), "湖泊": ("水面面积（平方公里）", 8, 60), "水库": ("总库容（万立方米）", 30, 3000),
                "水闸": ("过闸流量（立方米/秒）", 18, 120), "泵站": ("装机流量（立方米/秒）", 4, 8), "堤防": ("长度（公里）", 10, 25)}  # fmt: skip


def census_objects(ctx: Ctx) -> Table:
    rows = []
    counties = [c for c in all_counties() if c[0] not in ("710000", "810000", "820000")]
    names = dict(provinces())
    for seq in range(1, 3001):
        kind = weighted(ctx.rng, {k: v[1] for k, v in CENSUS_KINDS.items()})
        province, county = ctx.rng.choice(counties)
        label, _w, scale = CENSUS_KINDS[kind]
        suffix = {
            "河流": "河",
            "湖泊": "湖",
            "水库": "水库",
            "水闸": "闸",
            "泵站": "泵站",
            "堤防": "堤",
        }[kind]
        lon, lat = jitter(ctx.rng, PROVINCES[names[province]], 120)
        rows.append([f"{province[:2]}{list(CENSUS_KINDS).index(kind) + 1:02d}{seq:06d}", kind, f"{short_place(county)}{ctx.rng.choice(('东', '西', '南', '北', '大', '小', '新', '清'))}{suffix}",
                     names[province], dec(ctx.rng.lognormvariate(math.log(scale), 0.9), 2), label, lon, lat])  # fmt: skip
    columns = [
        "对象编码",
        "对象类型",
        "名称",
        "所在省份",
        "规模指标",
        "规模指标说明",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of)


def census_bundle(ctx: Ctx) -> Bundle:
    """The census extract as an archive: the data, a field dictionary and a read-me."""
    table = census_objects(ctx)
    fields = Table(["字段名", "类型", "说明"], [["对象编码", "文本", "普查对象编码，前两位为省级行政区划代码"], ["对象类型", "文本", "河流、湖泊、水库、水闸、泵站、堤防"],
                   ["名称", "文本", "对象名称"], ["所在省份", "文本", "省级行政区"], ["规模指标", "数值", "见“规模指标说明”"], ["规模指标说明", "文本", "规模指标的含义及单位"],
                   ["经度", "数值", "WGS84经度"], ["纬度", "数值", "WGS84纬度"]], ctx.as_of)  # fmt: skip
    readme = (
        "第一次全国水利普查成果数据（摘录）\r\n\r\n"
        "census_objects.csv  普查对象清单（UTF-8 编码，逗号分隔）\r\n"
        "fields.csv          字段说明\r\n\r\n"
        "数据提供单位：水利部信息中心\r\n本压缩包为演示数据，不代表真实普查结果。\r\n"
    ).encode()
    return Bundle(
        [
            ("README.txt", readme),
            ("census_objects.csv", csv_bytes(table)),
            ("fields.csv", csv_bytes(fields)),
        ],
        ctx.as_of,
    )


def census_bulletin(ctx: Ctx) -> Report:
    table = census_objects(ctx)
    counts = {k: sum(1 for r in table.rows if r[1] == k) for k in CENSUS_KINDS}
    summary = Table(["对象类型", "本摘录收录数量"], [[k, v] for k, v in counts.items()], ctx.as_of)
    return Report(
        "第一次全国水利普查成果摘要",
        "水利部信息中心",
        [
            "第一次全国水利普查以2011年12月31日为标准时点，对河湖基本情况、水利工程基本情况、经济社会用水情况、"
            "河湖开发治理保护情况、水土保持情况和水利行业能力建设情况进行了全面调查。",
            "本数据集摘录了普查对象的编码、类型、名称、所在省份、规模指标和空间位置，供社会查询和研究使用。"
            "本文件为演示数据，不代表真实普查结果。",
        ],
        ctx.as_of,
        table=summary,
    )


BIG_RESERVOIRS = [
    ("三峡水库", "湖北省", "长江", 450.4, 2003), ("丹江口水库", "湖北省", "汉江", 339.1, 1973), ("龙羊峡水库", "青海省", "黄河", 247.0, 1989),
    ("龙滩水库", "广西壮族自治区", "红水河", 272.7, 2007), ("新安江水库", "浙江省", "新安江", 216.3, 1960), ("小湾水库", "云南省", "澜沧江", 150.0, 2010),
    ("溪洛渡水库", "四川省", "金沙江", 126.7, 2014), ("小浪底水库", "河南省", "黄河", 126.5, 2001), ("白鹤滩水库", "四川省", "金沙江", 206.3, 2022),
    ("乌东德水库", "云南省", "金沙江", 74.1, 2021), ("二滩水库", "四川省", "雅砻江", 58.0, 1999), ("密云水库", "北京市", "潮白河", 43.75, 1960),
    ("官厅水库", "河北省", "永定河", 41.6, 1954), ("潘家口水库", "河北省", "滦河", 29.3, 1981), ("三门峡水库", "河南省", "黄河", 96.4, 1960),
]  # fmt: skip
FUNCTIONS = [
    "防洪、发电",
    "防洪、灌溉",
    "灌溉、供水",
    "供水、防洪",
    "发电",
    "防洪、灌溉、供水、发电",
]


def reservoirs(ctx: Ctx, *, large_only: bool = False) -> Table:
    rows = [
        [f"{i:03d}", n, p, r, "大(1)型", dec(c, 2), "防洪、发电、供水、航运", y]
        for i, (n, p, r, c, y) in enumerate(BIG_RESERVOIRS, start=1)
    ]
    counties = [c for c in all_counties() if c[0] not in ("710000", "810000", "820000")]
    names = dict(provinces())
    for seq in range(len(rows) + 1, 4801):
        province, county = ctx.rng.choice(counties)
        scale = weighted(ctx.rng, {"大(1)型": 2, "大(2)型": 14, "中型": 84})
        capacity = {
            "大(1)型": ctx.rng.uniform(10, 40),
            "大(2)型": ctx.rng.uniform(1, 10),
            "中型": ctx.rng.uniform(0.1, 1),
        }[scale]
        rows.append([f"{province[:2]}{seq:05d}", f"{short_place(county)}{ctx.rng.choice(('', '东', '西', '南', '北', '大', '小'))}{ctx.rng.choice(('', '龙', '湖', '河', '山'))}水库",
                     names[province], f"{short_place(county)}{ctx.rng.choice(('河', '江', '溪', '水'))}", scale, dec(capacity, 3), ctx.rng.choice(FUNCTIONS), ctx.rng.randint(1955, 2020)])  # fmt: skip
    if large_only:
        rows = [r for r in rows if r[4] != "中型"]
    return Table(
        [
            "水库代码",
            "水库名称",
            "所在省份",
            "所在河流",
            "工程规模",
            "总库容",
            "主要功能",
            "建成年份",
        ],
        rows,
        ctx.as_of,
        sheet="大中型水库",
    )


def large_reservoirs(ctx: Ctx) -> Table:
    return reservoirs(ctx, large_only=True)


# --------------------------------------------------------------------------- 中国气象局

CAPITAL_STATIONS = [
    ("54511", "北京", "北京市", 39.80, 116.47, 31), ("54527", "天津", "天津市", 39.08, 117.07, 3), ("53698", "石家庄", "河北省", 38.03, 114.42, 81),
    ("53772", "太原", "山西省", 37.78, 112.55, 778), ("53463", "呼和浩特", "内蒙古自治区", 40.82, 111.68, 1063), ("54342", "沈阳", "辽宁省", 41.73, 123.45, 49),
    ("54161", "长春", "吉林省", 43.90, 125.22, 237), ("50953", "哈尔滨", "黑龙江省", 45.75, 126.77, 142), ("58362", "上海", "上海市", 31.40, 121.45, 5),
    ("58238", "南京", "江苏省", 32.00, 118.80, 9), ("58457", "杭州", "浙江省", 30.23, 120.17, 42), ("58321", "合肥", "安徽省", 31.87, 117.23, 27),
    ("58847", "福州", "福建省", 26.08, 119.28, 84), ("58606", "南昌", "江西省", 28.60, 115.92, 47), ("54823", "济南", "山东省", 36.60, 117.05, 170),
    ("57083", "郑州", "河南省", 34.72, 113.65, 110), ("57494", "武汉", "湖北省", 30.62, 114.13, 23), ("57687", "长沙", "湖南省", 28.20, 113.08, 68),
    ("59287", "广州", "广东省", 23.17, 113.33, 41), ("59431", "南宁", "广西壮族自治区", 22.63, 108.22, 122), ("59758", "海口", "海南省", 20.03, 110.35, 14),
    ("57516", "重庆", "重庆市", 29.58, 106.47, 259), ("56294", "成都", "四川省", 30.67, 104.02, 507), ("57816", "贵阳", "贵州省", 26.58, 106.73, 1224),
    ("56778", "昆明", "云南省", 25.00, 102.65, 1888), ("55591", "拉萨", "西藏自治区", 29.67, 91.13, 3649), ("57036", "西安", "陕西省", 34.30, 108.93, 397),
    ("52889", "兰州", "甘肃省", 36.05, 103.88, 1518), ("52866", "西宁", "青海省", 36.62, 101.77, 2262), ("53614", "银川", "宁夏回族自治区", 38.48, 106.22, 1111),
    ("51463", "乌鲁木齐", "新疆维吾尔自治区", 43.78, 87.62, 935),
]  # fmt: skip
# Mean annual temperature (°C) by latitude at sea level, interpolated.
_TEMP_BY_LAT = ((18, 25.5), (23, 22.0), (30, 17.0), (35, 14.0), (40, 12.0), (45, 5.0), (50, 0.0))


def _mean_temp(lat: float, elevation: float) -> float:
    for (la, ta), (lb, tb) in zip(_TEMP_BY_LAT, _TEMP_BY_LAT[1:], strict=False):
        if lat <= lb:
            base = ta + (tb - ta) * (max(lat, la) - la) / (lb - la)
            break
    else:
        base = _TEMP_BY_LAT[-1][1]
    return base - 0.0025 * elevation


def weather_stations(rng: random.Random) -> list[tuple[str, str, str, float, float, float]]:
    """The provincial capitals' stations plus about three more per province."""
    stations = list(CAPITAL_STATIONS)
    capitals = {s[2]: s for s in CAPITAL_STATIONS}
    used = {s[0] for s in stations}
    for code, province in provinces():
        capital = capitals.get(province)
        if capital is None:
            continue
        others = [c for c in cities_of(code) if not c.startswith(capital[1])][:3]
        for city in others:
            station = str(int(capital[0]) + rng.randint(-90, 90))
            if station in used:
                continue
            used.add(station)
            lon, lat = jitter(rng, (capital[4], capital[3]), 160)
            stations.append(
                (
                    station,
                    short_place(city.removesuffix("地区")),
                    province,
                    lat,
                    lon,
                    max(2.0, capital[5] * rng.uniform(0.4, 1.6)),
                )
            )
    return stations


def daily_observations(ctx: Ctx) -> Table:
    """About 120 stations × the last 365 days (some 43,000 rows: the portal's big file)."""
    rows = []
    days = [ctx.as_of - dt.timedelta(days=365 - i) for i in range(365)]
    for station, _name, _province, lat, lon, elevation in weather_stations(
        random.Random("stations")
    ):
        mean = _mean_temp(lat, elevation)
        amplitude = 3.5 + 0.55 * (lat - 18)
        annual = max(150.0, 1850 - 55 * (lat - 22) - 25 * max(0.0, 110 - lon))
        wet_share = 0.35 if annual > 1000 else 0.2
        anomaly = 0.0
        for day in days:
            anomaly = 0.8 * anomaly + ctx.rng.gauss(0, 1.3)
            temp = seasonal(day, mean=mean, amplitude=amplitude, peak_day=200) + anomaly
            summer = seasonal(day, mean=1.0, amplitude=0.6, peak_day=190)
            rain = ctx.rng.random() < wet_share * summer
            amount = ctx.rng.expovariate(1 / (annual / (365 * wet_share))) * summer if rain else 0.0
            sun = max(
                0.0,
                min(
                    13.5,
                    seasonal(day, mean=6.5, amplitude=1.5, peak_day=170) * (0.35 if rain else 1.15)
                    + ctx.rng.gauss(0, 1.2),
                ),
            )
            rows.append(
                [
                    station,
                    day,
                    dec(temp, 1),
                    dec(amount, 1),
                    dec(abs(ctx.rng.gauss(2.3, 0.9)), 1),
                    dec(sun, 1),
                ]
            )
    return Table(
        ["区站号", "观测日期", "平均气温", "降水量", "平均风速", "日照时数"], rows, ctx.as_of
    )


WEATHER_CODES = {
    "晴": 0.3,
    "多云": 0.28,
    "阴": 0.12,
    "小雨": 0.12,
    "中雨": 0.05,
    "大雨": 0.02,
    "雷阵雨": 0.04,
    "小雪": 0.04,
    "雾": 0.03,
}
WINDS = ["北风3-4级", "东北风2-3级", "东风3级", "南风2级", "西北风4-5级", "微风"]


def city_forecasts(ctx: Ctx) -> Table:
    rows = []
    issued = ctx.at.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(
        hour=8 if ctx.at.hour >= 8 else 20, minute=0, second=0, microsecond=0, tzinfo=None
    )
    capitals = {s[2]: s for s in CAPITAL_STATIONS}
    seq = 0
    for code, province in provinces():
        capital = capitals[province]
        for city in cities_of(code) or (province,):
            seq += 1
            mean = _mean_temp(capital[3], capital[5]) + ctx.rng.gauss(0, 1.2)
            for ahead in range(1, 8):
                day = issued.date() + dt.timedelta(days=ahead - 1)
                high = (
                    seasonal(day, mean=mean, amplitude=3.5 + 0.55 * (capital[3] - 18), peak_day=200)
                    + 5
                    + ctx.rng.gauss(0, 1.5)
                )
                weather = weighted(ctx.rng, WEATHER_CODES)
                if "雪" in weather and high > 6:
                    weather = "小雨"
                rows.append(
                    [
                        f"{capital[0][:3]}{seq % 100:02d}",
                        short_place(city.removesuffix("地区")),
                        issued,
                        day,
                        weather,
                        dec(high, 0),
                        dec(high - ctx.rng.uniform(5, 11), 0),
                        ctx.rng.choice(WINDS),
                    ]
                )
    columns = [
        "城市代码",
        "城市名称",
        "预报时间",
        "预报日期",
        "天气现象",
        "最高气温",
        "最低气温",
        "风向风力",
    ]
    return Table(columns, rows, ctx.as_of)


WARNING_GUIDES = {
    "寒潮": "注意添衣保暖；做好大风降温防御；农业、水产业做好防冻措施。",
    "大风": "关好门窗，加固围板、棚架等易被风吹动的搭建物；户外作业人员注意安全。",
    "大雾": "驾驶人员注意雾的变化，小心驾驶；机场、高速公路、轮渡码头采取措施保障交通安全。",
    "道路结冰": "交通、公安等部门做好道路结冰应对准备；驾驶人员减速慢行。",
    "霜冻": "对农作物、蔬菜、花卉、瓜果、林业育种采取防冻措施。",
    "暴雨": "注意防范城乡积涝和山洪、滑坡、泥石流等灾害；切断低洼地带有危险的室外电源。",
    "高温": "避免在高温时段进行户外活动；注意防暑降温，加强用电和防火安全。",
    "雷电": "做好防雷工作；户外人员避免在空旷地带停留，不要在树下避雨。",
}
WINTER_WARNINGS = {"寒潮": 3, "大风": 4, "大雾": 4, "道路结冰": 2, "霜冻": 2}
SUMMER_WARNINGS = {"暴雨": 5, "高温": 4, "雷电": 4, "大风": 2}


def weather_warnings(ctx: Ctx) -> Table:
    rows = []
    kinds = WINTER_WARNINGS if ctx.as_of.month in (10, 11, 12, 1, 2, 3) else SUMMER_WARNINGS
    capitals = {s[2]: s for s in CAPITAL_STATIONS}
    for code, province in provinces():
        for city in cities_of(code)[:8] or (province,):
            if ctx.rng.random() > 0.45:
                continue
            kind = weighted(ctx.rng, kinds)
            level = weighted(ctx.rng, {"蓝色": 45, "黄色": 38, "橙色": 14, "红色": 3})
            issued = ctx.at - dt.timedelta(minutes=ctx.rng.randint(20, 24 * 60))
            local = issued.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(
                tzinfo=None, microsecond=0, second=0
            )
            office = f"{city}气象台"
            rows.append([f"{capitals[province][0]}{local:%Y%m%d%H%M}{len(rows) % 100:02d}", office, kind, level, local, f"{city}全境",
                         f"{office}{local:%d日%H时%M分}发布{kind}{level}预警信号。{WARNING_GUIDES[kind]}"])  # fmt: skip
    rows.sort(key=lambda r: r[4], reverse=True)
    table = Table(
        ["预警编号", "发布单位", "预警类型", "预警级别", "发布时间", "影响区域", "防御指南"],
        rows,
        ctx.as_of,
    )
    table.root, table.item = "alerts", "alert"
    return table


# --------------------------------------------------------------------------- 国家医疗保障局

DRUGS_WEST = ["阿莫西林", "头孢呋辛", "头孢克肟", "阿奇霉素", "左氧氟沙星", "莫西沙星", "甲硝唑", "奥司他韦", "阿昔洛韦", "布洛芬", "对乙酰氨基酚", "双氯芬酸", "塞来昔布", "氨氯地平", "硝苯地平", "缬沙坦", "厄贝沙坦", "氯沙坦", "美托洛尔", "比索洛尔", "阿托伐他汀", "瑞舒伐他汀", "阿司匹林", "氯吡格雷", "华法林", "利伐沙班", "二甲双胍", "格列美脲", "阿卡波糖", "西格列汀", "胰岛素", "甘精胰岛素", "奥美拉唑", "泮托拉唑", "雷贝拉唑", "铝碳酸镁", "蒙脱石", "乳果糖", "孟鲁司特", "沙丁胺醇", "布地奈德", "氨溴索", "氯雷他定", "西替利嗪", "左甲状腺素", "泼尼松", "甲泼尼龙", "地塞米松", "呋塞米", "螺内酯", "氢氯噻嗪", "别嘌醇", "非布司他", "碳酸钙", "骨化三醇", "阿仑膦酸钠", "舍曲林", "帕罗西汀", "艾司西酞普兰", "奥氮平", "利培酮", "阿立哌唑", "丙戊酸钠", "左乙拉西坦", "卡马西平", "多奈哌齐", "美金刚", "左旋多巴", "普拉克索", "甲钴胺", "维生素B1", "叶酸", "硫酸亚铁", "肝素", "依诺肝素", "头孢曲松", "头孢他啶", "美罗培南", "万古霉素", "氟康唑", "伏立康唑", "恩替卡韦", "替诺福韦", "利巴韦林", "紫杉醇", "多西他赛", "顺铂", "卡铂", "奥沙利铂", "吉西他滨", "卡培他滨", "来曲唑", "他莫昔芬", "伊马替尼", "吉非替尼", "奥希替尼", "利妥昔单抗", "曲妥珠单抗", "贝伐珠单抗", "阿达木单抗", "托珠单抗"]  # fmt: skip
DRUGS_TCM = ["连花清瘟胶囊", "板蓝根颗粒", "感冒清热颗粒", "银翘解毒片", "双黄连口服液", "蒲地蓝消炎片", "复方丹参滴丸", "速效救心丸", "麝香保心丸", "通心络胶囊", "血塞通软胶囊", "丹红注射液", "六味地黄丸", "金匮肾气丸", "补中益气丸", "逍遥丸", "归脾丸", "藿香正气水", "保济丸", "香砂养胃丸", "云南白药胶囊", "三七片", "安宫牛黄丸", "牛黄解毒片", "清开灵颗粒", "小柴胡颗粒", "急支糖浆", "蛇胆川贝液", "复方甘草片", "京都念慈菴蜜炼川贝枇杷膏", "脑心通胶囊", "参松养心胶囊", "稳心颗粒", "消渴丸", "知柏地黄丸", "骨刺宁胶囊", "颈舒颗粒", "跌打丸", "马应龙麝香痔疮膏", "正清风痛宁缓释片"]  # fmt: skip
ORAL_FORMS = ["口服常释剂型", "口服液体剂", "缓释控释剂型", "颗粒剂"]
INHALED = {"沙丁胺醇", "布地奈德"}
INJECTED = {
    "胰岛素",
    "甘精胰岛素",
    "肝素",
    "依诺肝素",
    "头孢曲松",
    "头孢他啶",
    "美罗培南",
    "万古霉素",
    "紫杉醇",
    "多西他赛",
    "顺铂",
    "卡铂",
    "奥沙利铂",
    "吉西他滨",
}


def _forms(rng: random.Random, name: str) -> list[str]:
    if name in INHALED:
        return ["吸入剂"] + (["口服常释剂型"] if name == "沙丁胺醇" else [])
    if name in INJECTED or name.endswith("单抗"):
        return ["注射剂"]
    return rng.sample(ORAL_FORMS, rng.randint(1, 2)) + (["注射剂"] if rng.random() < 0.3 else [])


def drug_list(ctx: Ctx) -> Table:
    rows, seq = [], 0
    for name in DRUGS_WEST:
        for form in _forms(ctx.rng, name):
            seq += 1
            category = "甲类" if ctx.rng.random() < 0.45 else "乙类"
            note = (
                ""
                if ctx.rng.random() < 0.7
                else ctx.rng.choice(
                    ("限二线用药", "限住院患者", "限儿童", "限有明确诊断依据的患者", "限工伤保险")
                )
            )
            rows.append(
                [
                    "西药",
                    f"XA{seq:04d}",
                    category,
                    name + ("注射液" if form == "注射剂" else ""),
                    form,
                    note,
                ]
            )
    for name in DRUGS_TCM:
        seq += 1
        rows.append(
            [
                "中成药",
                f"ZA{seq:04d}",
                "甲类" if ctx.rng.random() < 0.3 else "乙类",
                name,
                (
                    "胶囊剂"
                    if "胶囊" in name
                    else "丸剂"
                    if "丸" in name
                    else "颗粒剂"
                    if "颗粒" in name
                    else "其他"
                ),
                "",
            ]
        )
    return Table(
        ["药品分类", "编号", "医保类别", "药品名称", "剂型", "备注"],
        rows,
        ctx.as_of,
        sheet="药品目录",
    )


def drug_list_notes(ctx: Ctx) -> Report:
    table = drug_list(ctx)
    counts = {"西药": 0, "中成药": 0}
    for row in table.rows:
        counts[row[0]] += 1
    return Report(
        "国家基本医疗保险、工伤保险和生育保险药品目录 使用说明",
        "国家医疗保障局",
        [
            f"本目录收录西药{counts['西药']}个、中成药{counts['中成药']}个（演示数据），分为甲类和乙类。"
            "甲类药品按基本医疗保险规定的支付标准全额纳入支付范围，乙类药品由参保人员先行自付一定比例后按规定支付。",
            "“备注”栏标注限定支付范围的药品，超出限定范围使用的，基金不予支付。目录中的剂型按医保剂型分类归并。",
            "本文件为演示数据的说明文档，不代表真实药品目录。",
        ],
        ctx.as_of,
        table=Table(table.columns, table.rows[:20], ctx.as_of),
        table_rows=20,
    )


CODE_KINDS = {
    "医保药品分类与代码": 30,
    "医疗服务项目分类与代码": 20,
    "医保医用耗材分类与代码": 25,
    "医保疾病诊断分类与代码": 15,
    "医保手术操作分类与代码": 10,
}
CONSUMABLES = [
    "一次性使用无菌注射器",
    "医用外科口罩",
    "中心静脉导管",
    "冠状动脉球囊扩张导管",
    "人工髋关节假体",
    "骨科接骨板",
    "一次性使用输液器",
    "吻合器",
    "止血纱布",
    "人工晶状体",
]
DIAGNOSES = [("A09.900", "胃肠炎"), ("E11.900", "2型糖尿病"), ("I10.x00", "高血压"), ("I25.100", "冠状动脉粥样硬化性心脏病"), ("J18.900", "肺炎"),
             ("K35.800", "急性阑尾炎"), ("M17.900", "膝关节病"), ("N18.900", "慢性肾脏病"), ("C34.900", "支气管和肺恶性肿瘤"), ("J44.900", "慢性阻塞性肺病")]  # fmt: skip
OPERATIONS = [("47.0100", "腹腔镜下阑尾切除术"), ("51.2300", "腹腔镜下胆囊切除术"), ("81.5100", "全髋关节置换"), ("36.0600", "冠状动脉支架置入"),
              ("13.4100", "白内障超声乳化抽吸术"), ("74.1x00", "子宫下段剖宫产术")]  # fmt: skip


def insurance_codes(ctx: Ctx) -> Table:
    """2,000 rows across the national medical-insurance code standards (an XLSX file)."""
    rows = []
    started = dt.date(2020, 1, 1)
    for seq in range(1, 2001):
        kind = weighted(ctx.rng, CODE_KINDS)
        if kind == "医保药品分类与代码":
            name = ctx.rng.choice(DRUGS_WEST)
            code, spec = (
                f"XA{ctx.rng.randint(1, 16):02d}{'ABCDEFGH'[seq % 8]}{'ABCD'[seq % 4]}{seq:03d}{ctx.rng.choice(('A001', 'A002', 'B001'))}010{seq % 100:02d}{ctx.rng.randrange(10000):04d}",
                ctx.rng.choice(("0.25g×24粒", "10mg×7片", "2ml:0.1g", "5mg×28片")),
            )
        elif kind == "医疗服务项目分类与代码":
            base = ctx.rng.choice(["一般诊疗", "床位", "护理", "影像", "检验", "手术", "中医"])
            code, name, spec = (
                f"0{ctx.rng.randint(1, 9)}{ctx.rng.randrange(10**6):06d}{ctx.rng.randrange(10**6):06d}",
                f"{base}类服务项目{seq:04d}",
                "次",
            )
        elif kind == "医保医用耗材分类与代码":
            name = ctx.rng.choice(CONSUMABLES)
            code, spec = (
                f"C{ctx.rng.randint(1, 19):02d}{ctx.rng.randint(1, 9):02d}{ctx.rng.randint(1, 9):02d}{ctx.rng.randrange(10**4):04d}{ctx.rng.randrange(10**8):08d}",
                ctx.rng.choice(("支", "个", "套", "片")),
            )
        elif kind == "医保疾病诊断分类与代码":
            base_code, base_name = ctx.rng.choice(DIAGNOSES)
            code, name, spec = f"{base_code}x{seq % 1000:03d}", base_name, "ICD-10医保版"
        else:
            base_code, base_name = ctx.rng.choice(OPERATIONS)
            code, name, spec = f"{base_code}x{seq % 1000:03d}", base_name, "ICD-9-CM-3医保版"
        status = "有效" if ctx.rng.random() < 0.94 else "停用"
        enabled = started + dt.timedelta(days=ctx.rng.randint(0, (ctx.as_of - started).days - 1))
        rows.append([kind, code, name, spec, enabled, status])
    return Table(
        ["编码类别", "编码", "名称", "规格", "启用日期", "状态"], rows, ctx.as_of, sheet="医保编码"
    )
