"""File builders for the Guangdong holders' datasets (广东省、广州、深圳、佛山)."""

from __future__ import annotations

import datetime as dt
import math

from portal.demo.formats import Report, Table
from portal.demo.geo import polygon, walk
from portal.demo.places import (
    CITIES,
    DISTRICTS,
    ROADS,
    address,
    counties_of,
    district_point,
    jitter,
    masked_name,
    short_place,
)
from portal.demo.values import (
    Ctx,
    Names,
    add_years,
    aqi,
    credit_code,
    day_between,
    dec,
    hours_back,
    last_months,
    phone,
    seasonal,
    weighted,
)

GD_CITY_CODES = {
    "广州市": "440100", "深圳市": "440300", "珠海市": "440400", "汕头市": "440500",
    "佛山市": "440600", "韶关市": "440200", "湛江市": "440800", "肇庆市": "441200",
    "江门市": "440700", "茂名市": "440900", "惠州市": "441300", "梅州市": "441400",
    "汕尾市": "441500", "河源市": "441600", "阳江市": "441700", "清远市": "441800",
    "东莞市": "441900", "中山市": "442000", "潮州市": "445100", "揭阳市": "445200",
    "云浮市": "445300",
}  # fmt: skip
# Bigger cities hold more of everything.
GD_WEIGHTS = {"广州市": 9, "深圳市": 9, "东莞市": 5, "佛山市": 5, "惠州市": 3, "中山市": 2.5}
GZ_DISTRICT_CODES = {
    "荔湾区": "440103", "越秀区": "440104", "海珠区": "440105", "天河区": "440106",
    "白云区": "440111", "黄埔区": "440112", "番禺区": "440113", "花都区": "440114",
    "南沙区": "440115", "从化区": "440117", "增城区": "440118",
}  # fmt: skip
SZ_DISTRICT_CODES = {
    "罗湖区": "440303", "福田区": "440304", "南山区": "440305", "宝安区": "440306",
    "龙岗区": "440307", "盐田区": "440308", "龙华区": "440309", "坪山区": "440310",
    "光明区": "440311",
}  # fmt: skip


def gd_city(ctx: Ctx) -> str:
    return weighted(ctx.rng, {c: GD_WEIGHTS.get(c, 1.0) for c in GD_CITY_CODES})


def gd_point(ctx: Ctx, city: str, km: float = 9.0):
    return jitter(ctx.rng, CITIES["广东省"][city], km)


def gd_address(ctx: Ctx, city: str) -> str:
    road = ctx.rng.choice(ROADS.get(city, ["人民路", "建设路", "解放路", "中山路", "环城路"]))
    return f"广东省{city}{road}{ctx.rng.randint(1, 999)}号"


# --------------------------------------------------------------------------- 广东省交通运输厅

ROAD_SCOPES = {
    "道路普通货物运输": 10,
    "道路普通货物运输；货物专用运输（集装箱）": 3,
    "道路旅客运输（县内班车客运、包车客运）": 2,
    "道路危险货物运输（第3类、第8类）": 1,
    "道路货物专用运输（冷藏保鲜）": 1.5,
    "机动车维修（一类汽车维修）": 2,
    "机动车驾驶员培训（普通机动车驾驶员培训二级）": 1,
}


def road_permits(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 1501):
        city = gd_city(ctx)
        code = GD_CITY_CODES[city]
        scope = weighted(ctx.rng, ROAD_SCOPES)
        years = 4 if "危险" in scope else 6
        # Only permits in force are listed: issued within their validity before today.
        issued = day_between(
            ctx.rng,
            add_years(ctx.as_of, -years) + dt.timedelta(days=30),
            ctx.as_of - dt.timedelta(days=1),
        )
        business = "物流" if "货" in scope else ("汽车服务" if "维修" in scope else "运输")
        rows.append([
            f"粤交运管许可{city[:2]}字{code}{seq * 7 % 1000000:06d}号",
            names.company(city, business),
            credit_code(ctx.rng, code),
            scope,
            issued,
            add_years(issued, years),
            f"{city}交通运输局",
        ])  # fmt: skip
    columns = [
        "许可证号",
        "经营者名称",
        "统一社会信用代码",
        "经营范围",
        "发证日期",
        "有效期至",
        "发证机关",
    ]
    return Table(columns, rows, ctx.as_of)


TERMINAL_GRADES = {"一级": 1, "二级": 3, "三级": 3, "四级": 2, "五级": 1}
TERMINAL_PLACES = [
    "城东",
    "城西",
    "城南",
    "城北",
    "中心",
    "汽车总站",
    "新城",
    "东站",
    "西站",
    "南站",
    "北站",
    "港口",
    "高铁站",
    "开发区",
]
GD_AREA_CODES = dict(zip(GD_CITY_CODES, ["020", "0755", "0756", "0754", "0757", "0751", "0759", "0758", "0750", "0668", "0752", "0753", "0660", "0762", "0662", "0763", "0769", "0760", "0768", "0663", "0766"], strict=True))  # fmt: skip


def passenger_terminals(ctx: Ctx) -> Table:
    candidates = []
    for city, code in GD_CITY_CODES.items():
        places = [short_place(c) for c in counties_of(code)] or [city[:-1]]
        candidates += [(city, f"{city[:-1]}{p}客运站") for p in TERMINAL_PLACES]
        candidates += [
            (city, f"{p}{s}") for p in places for s in ("汽车客运站", "客运总站", "汽车站")
        ]
    rows = []
    for city, name in sorted(
        ctx.rng.sample(candidates, 412), key=lambda c: list(GD_CITY_CODES).index(c[0])
    ):
        lon, lat = gd_point(ctx, city, 7)
        grade = weighted(ctx.rng, TERMINAL_GRADES)
        rows.append(
            [
                name,
                grade,
                city,
                gd_address(ctx, city),
                phone(ctx.rng, GD_AREA_CODES[city]),
                lon,
                lat,
            ]
        )
    columns = ["站点名称", "站点等级", "所在地市", "详细地址", "咨询电话", "经度", "纬度"]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


SERVICE_ROADS = [
    ("G4京港澳高速", "北京方向", "广州方向"), ("G15沈海高速", "汕头方向", "湛江方向"),
    ("G25长深高速", "河源方向", "深圳方向"), ("G35济广高速", "平远方向", "广州方向"),
    ("G45大广高速", "连平方向", "广州方向"), ("G55二广高速", "连州方向", "广州方向"),
    ("G78汕昆高速", "汕头方向", "昆明方向"), ("G80广昆高速", "广州方向", "云浮方向"),
    ("G94珠三角环线高速", "外环方向", "内环方向"), ("G9411莞佛高速", "东莞方向", "佛山方向"),
    ("S2广河高速", "广州方向", "河源方向"), ("S20潮惠高速", "潮州方向", "惠州方向"),
]  # fmt: skip


def service_areas(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 187):
        road, *directions = ctx.rng.choice(SERVICE_ROADS)
        city = gd_city(ctx)
        place = ctx.rng.choice(
            TERMINAL_PLACES[:4] + ["塘厦", "新丰", "龙门", "沙溪", "横沥", "石角", "大旺", "良田"]
        )
        lon, lat = gd_point(ctx, city, 25)
        rows.append([
            f"GDFWQ{seq:04d}",
            f"{city[:2]}{place}服务区",
            road,
            ctx.rng.choice(directions + ["双向"]),
            f"K{ctx.rng.randint(3, 890)}+{ctx.rng.randrange(1000):03d}",
            city,
            ctx.rng.choice((4, 6, 8, 10, 12, 16, 20, 24)),
            ctx.rng.randint(60, 420),
            lon,
            lat,
        ])  # fmt: skip
    columns = ["服务区编号", "服务区名称", "所在路段", "行车方向", "桩号", "所在地市", "充电桩数量",
               "停车位数量", "经度", "纬度"]  # fmt: skip
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


# --------------------------------------------------------------------------- 广东省市场监督管理局

ENTITY_TYPES = {
    "有限责任公司（自然人投资或控股）": 12,
    "个体工商户": 16,
    "有限责任公司（法人独资）": 3,
    "股份有限公司（非上市、自然人投资或控股）": 1,
    "有限合伙企业": 1,
    "农民专业合作社": 0.6,
    "个人独资企业": 1.2,
}
SCOPES = (
    "一般项目：技术服务、技术开发、技术咨询；软件开发；信息系统集成服务。",
    "一般项目：日用百货销售；五金产品零售；家用电器销售；服装服饰零售。",
    "许可项目：餐饮服务；食品销售。一般项目：外卖递送服务。",
    "一般项目：货物进出口；技术进出口；国内贸易代理；供应链管理服务。",
    "一般项目：住房租赁；物业管理；家政服务；洗染服务。",
    "一般项目：电子元器件制造；电子专用材料研发；模具制造。",
    "许可项目：建设工程施工。一般项目：园林绿化工程施工；建筑材料销售。",
)


def market_entities(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for _ in range(2000):
        city = gd_city(ctx)
        kind = weighted(ctx.rng, ENTITY_TYPES)
        individual = kind in ("个体工商户", "个人独资企业")
        business = ctx.rng.choice(("科技", "贸易", "餐饮", "电子", "建材", "物业", "供应链"))
        form = {"个体工商户": "店", "个人独资企业": "商行", "有限合伙企业": "企业（有限合伙）", "农民专业合作社": "专业合作社"}.get(kind, "有限公司")  # fmt: skip
        founded = day_between(ctx.rng, dt.date(2005, 1, 1), ctx.as_of - dt.timedelta(days=1))
        status = weighted(ctx.rng, {"存续": 88, "注销": 9, "吊销": 3})
        capital = dec(
            ctx.rng.choice((3, 5, 10, 30, 50, 100, 200, 500, 1000)) * ctx.rng.choice((1, 1, 1, 2)),
            2,
        )
        rows.append([
            credit_code(ctx.rng, GD_CITY_CODES[city], authority="92" if kind == "个体工商户" else "91"),
            names.company(city, business, form),
            kind,
            masked_name(ctx.rng),
            None if individual else capital,
            founded,
            f"{city}市场监督管理局",
            ctx.rng.choice(SCOPES),
            status,
        ])  # fmt: skip
    columns = ["统一社会信用代码", "主体名称", "主体类型", "法定代表人", "注册资本", "成立日期",
               "登记机关", "经营范围", "登记状态"]  # fmt: skip
    return Table(columns, rows, ctx.as_of)


FOOD_CATEGORIES = {
    "101": "粮食加工品", "102": "食用油、油脂及其制品", "103": "调味品", "104": "肉制品",
    "105": "乳制品", "106": "饮料", "107": "方便食品", "108": "饼干", "111": "冷冻饮品",
    "112": "速冻食品", "114": "薯类和膨化食品", "115": "糖果制品", "116": "茶叶及相关制品",
    "118": "蔬菜制品", "119": "水果制品", "124": "糕点", "126": "豆制品", "127": "蜂产品",
}  # fmt: skip


def food_producers(ctx: Ctx) -> Table:
    """3,000 licensed food producers: the file is published GBK-encoded, as many portals do."""
    names, rows = Names(ctx.rng), []
    for seq in range(1, 3001):
        city = gd_city(ctx)
        region = GD_CITY_CODES[city][:4] + f"{ctx.rng.choice((2, 3, 4, 5, 6, 11, 13, 81, 83)):02d}"
        cats = ctx.rng.sample(sorted(FOOD_CATEGORIES), ctx.rng.choice((1, 1, 1, 2, 3)))
        issued = day_between(
            ctx.rng, ctx.as_of.replace(year=ctx.as_of.year - 5), ctx.as_of - dt.timedelta(days=2)
        )
        rows.append([
            f"SC{cats[0]}{region}{seq % 10000:04d}{seq * 7 % 10}",
            names.company(city, ctx.rng.choice(("食品", "食品科技", "饮料", "粮油", "茶业", "调味食品"))),
            credit_code(ctx.rng, GD_CITY_CODES[city]),
            gd_address(ctx, city),
            "；".join(FOOD_CATEGORIES[c] for c in cats),
            issued,
            add_years(issued, 5) - dt.timedelta(days=1),
        ])  # fmt: skip
    columns = [
        "许可证编号",
        "企业名称",
        "统一社会信用代码",
        "生产地址",
        "食品类别",
        "发证日期",
        "有效期至",
    ]
    return Table(columns, rows, ctx.as_of)


INSPECTION_ITEMS = {
    "营业执照（登记证）规范使用情况的检查": 5,
    "公示信息情况的检查": 5,
    "食品经营许可证使用情况的检查": 2,
    "产品质量监督抽查": 1.5,
    "广告发布行为的检查": 1,
    "计量器具使用情况的检查": 1,
}
INSPECTION_RESULTS = {
    "未发现问题": 70, "未按规定公示应当公示的信息": 8, "通过登记的住所（经营场所）无法联系": 9,
    "发现问题已责令改正": 7, "不配合检查情节严重": 1, "已注销或被吊销营业执照": 5,
}  # fmt: skip


def random_inspections(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    months = last_months(ctx.as_of, 6)
    tasks = [(f"GD{m:%Y%m}{i:03d}", m) for m in months for i in range(1, 5)]
    for _ in range(1500):
        task, month = ctx.rng.choice(tasks)
        city = gd_city(ctx)
        item = weighted(ctx.rng, INSPECTION_ITEMS)
        day = month + dt.timedelta(days=ctx.rng.randint(3, 26))
        rows.append([
            task, f"{month.year}年{month.month}月{item[:-3]}“双随机”抽查", names.company(city, ctx.rng.choice(("贸易", "科技", "餐饮管理", "实业"))),
            credit_code(ctx.rng, GD_CITY_CODES[city]), item, weighted(ctx.rng, INSPECTION_RESULTS), day,
            f"{city}市场监督管理局",
        ])  # fmt: skip
    rows.sort(key=lambda r: (r[6], r[0]))
    columns = [
        "任务编号",
        "任务名称",
        "被抽查主体",
        "统一社会信用代码",
        "抽查事项",
        "抽查结果",
        "检查日期",
        "检查机关",
    ]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 广东省生态环境厅

OUTLET_FACTORS = {
    "化学需氧量": (30, 60),
    "氨氮": (2.0, 8.0),
    "二氧化硫": (20, 50),
    "氮氧化物": (40, 100),
}


def emission_monitoring(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    units = []
    for i in range(40):
        city = gd_city(ctx)
        water = i % 2 == 0
        units.append((names.company(city, ctx.rng.choice(("纸业", "化工", "印染", "电力", "水泥", "电镀"))), credit_code(ctx.rng, GD_CITY_CODES[city]), f"{'DW' if water else 'DA'}{ctx.rng.randint(1, 12):03d}", water))  # fmt: skip
    for hour in hours_back(ctx.at, 24):
        for name, code, outlet, water in units:
            for factor in ("化学需氧量", "氨氮") if water else ("二氧化硫", "氮氧化物"):
                typical, limit = OUTLET_FACTORS[factor]
                value = typical * ctx.rng.lognormvariate(-0.35, 0.3)
                rows.append([name, code, outlet, factor, dec(value, 2), limit, hour, value > limit])
    columns = [
        "排污单位名称",
        "统一社会信用代码",
        "排放口编号",
        "监测因子",
        "监测值",
        "排放限值",
        "监测时间",
        "是否超标",
    ]
    return Table(columns, rows, ctx.as_of)


GZ_STATIONS = ["广雅中学", "市监测站", "天河职幼", "麓湖", "海珠宝岗", "番禺市桥", "花都师范", "九龙镇镇龙", "帽峰山森林公园", "黄埔文冲", "从化街口"]  # fmt: skip


def _air_hour(ctx: Ctx, when: dt.datetime, *, base: float, state: list[float]) -> list:
    """One hour of readings: a winter-high seasonal level, a morning and evening rush, an
    afternoon ozone peak, and AR(1) weather noise carried in `state`."""
    day = when.date()
    season = seasonal(day, mean=1.0, amplitude=0.45, peak_day=10)
    rush = (
        1
        + 0.18 * math.exp(-((when.hour - 8) ** 2) / 6)
        + 0.22 * math.exp(-((when.hour - 20) ** 2) / 8)
    )
    state[0] = 0.92 * state[0] + ctx.rng.gauss(0, 0.12)
    pm25 = max(3.0, base * season * rush * math.exp(state[0]))
    pm10 = pm25 * ctx.rng.uniform(1.35, 1.8)
    sun = max(0.0, math.sin(math.pi * (when.hour - 7) / 12)) if 7 <= when.hour <= 19 else 0.0
    o3 = max(
        4.0,
        seasonal(day, mean=70, amplitude=25, peak_day=260)
        * (0.35 + 1.3 * sun)
        * math.exp(-state[0] / 2),
    )
    index, primary = aqi({"PM2.5": pm25, "PM10": pm10, "O3": o3})
    return [index, dec(pm25, 1), dec(pm10, 1), dec(o3, 1), primary]


def air_quality_year(ctx: Ctx) -> Table:
    """8,760 hourly readings of one Guangzhou station for the whole of 2025."""
    start = dt.datetime(2025, 1, 1)  # noqa: DTZ001 - local wall-clock hours, written as text
    state, rows = [0.0], []
    for h in range(8760):
        when = start + dt.timedelta(hours=h)
        rows.append(["天河职幼", "广州市", when, *_air_hour(ctx, when, base=26.0, state=state)])
    columns = [
        "监测站点",
        "城市",
        "监测时间",
        "空气质量指数",
        "细颗粒物浓度",
        "可吸入颗粒物浓度",
        "臭氧浓度",
        "首要污染物",
    ]
    return Table(columns, rows, ctx.as_of)


def air_quality_recent(ctx: Ctx) -> Table:
    """The last 72 hours at one station per city (and all Guangzhou stations)."""
    stations = [(s, "广州市") for s in GZ_STATIONS] + [
        (f"{c[:-1]}市区", c) for c in GD_CITY_CODES if c != "广州市"
    ]
    rows = []
    for station, city in stations:
        state, base = [ctx.rng.gauss(0, 0.2)], 22.0 * ctx.rng.uniform(0.75, 1.25)
        for when in hours_back(ctx.at, 72):
            rows.append([station, city, when, *_air_hour(ctx, when, base=base, state=state)])
    columns = [
        "监测站点",
        "城市",
        "监测时间",
        "空气质量指数",
        "细颗粒物浓度",
        "可吸入颗粒物浓度",
        "臭氧浓度",
        "首要污染物",
    ]
    return Table(columns, rows, ctx.as_of)


WATER_CLASSES = ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"]
GD_RIVERS = [
    ("珠江广州河段", "广州市", ["猎德", "长洲", "鸦岗", "大石"]), ("东江", "惠州市", ["剑潭", "东岸", "江口"]),
    ("北江", "清远市", ["白石窑", "七星岗", "飞来峡"]), ("西江", "肇庆市", ["高要", "永安", "思贤滘"]),
    ("韩江", "潮州市", ["东溪口", "升平", "潮安"]), ("鉴江", "茂名市", ["江口门", "梅录"]),
    ("练江", "汕头市", ["海门湾桥闸", "青洋山桥"]), ("茅洲河", "深圳市", ["共和村", "燕川"]),
    ("淡水河", "惠州市", ["紫溪", "西湖村"]), ("石马河", "东莞市", ["旗岭"]), ("漠阳江", "阳江市", ["阳江大桥", "双捷"]),
    ("榕江", "揭阳市", ["揭阳新溪", "地都"]), ("潭江", "江门市", ["牛湾", "苍山渡口"]), ("流溪河", "广州市", ["李溪坝", "太平"]),
    ("新丰江水库", "河源市", ["库心", "大坝"]), ("鹤地水库", "湛江市", ["库区"]),
]  # fmt: skip


def _sections():
    for river, city, names in GD_RIVERS:
        for name in names:
            yield river, city, name


def water_sections(ctx: Ctx) -> Table:
    """Monthly water quality at the national assessment sections, the last 12 months."""
    rows = []
    months = last_months(ctx.as_of, 12)
    for n, (river, city, name) in enumerate(_sections(), start=1):
        quality = ctx.rng.choice((1, 2, 2, 2, 3, 3, 4))
        target = max(2, min(quality + ctx.rng.choice((0, 0, 1)), 4))
        for month in months:
            wet = seasonal(month, mean=1.0, amplitude=0.25, peak_day=200)
            level = max(0, min(5, quality + round(ctx.rng.gauss(0, 0.45) + (wet - 1) * 1.5)))
            nh3 = (0.08, 0.3, 0.6, 1.2, 1.7, 2.4)[level] * ctx.rng.uniform(0.7, 1.2)
            tp = (0.015, 0.06, 0.14, 0.24, 0.33, 0.48)[level] * ctx.rng.uniform(0.7, 1.2)
            rows.append([
                f"4400{n:04d}", name, river, city, month, WATER_CLASSES[level],
                dec(ctx.rng.uniform(5.2, 8.6) - level * 0.4, 2), dec((1.6, 2.8, 4.2, 5.6, 8.0, 10.5)[level] * ctx.rng.uniform(0.75, 1.15), 2),
                dec(nh3, 3), dec(tp, 3), level + 1 <= target,
            ])  # fmt: skip
    columns = [
        "断面编码",
        "断面名称",
        "所在河流",
        "所在地市",
        "监测月份",
        "水质类别",
        "溶解氧",
        "高锰酸盐指数",
        "氨氮",
        "总磷",
        "是否达标",
    ]
    return Table(columns, rows, ctx.as_of)


def water_report(ctx: Ctx) -> Report:
    table = water_sections(ctx)
    month = table.rows[-1][4]
    latest = [r for r in table.rows if r[4] == month]
    good = sum(1 for r in latest if r[5] in WATER_CLASSES[:3])
    worst = sum(1 for r in latest if r[5] == "劣Ⅴ类")
    share = 100 * good / len(latest)
    text = [
        f"{month.year}年{month.month}月，全省{len(latest)}个国家地表水考核断面中，水质优良（Ⅰ～Ⅲ类）断面"
        f"{good}个，占{share:.1f}%；劣Ⅴ类断面{worst}个。",
        "主要江河干流水质总体保持优良，部分城市内河涌和入海河流受降雨径流影响，氨氮、总磷浓度有所波动。"
        "各地市应继续推进污水收集处理提质增效，强化汛期污染强度管控。",
        "本报告为演示数据，由公共数据开放平台演示程序生成，不代表真实监测结果。",
    ]
    excerpt = Table(["断面名称", "所在河流", "所在地市", "水质类别", "氨氮", "总磷"],
                    [[r[1], r[2], r[3], r[5], r[8], r[9]] for r in latest], ctx.as_of)  # fmt: skip
    return Report(
        "广东省地表水环境质量月报",
        f"{month.year}年{month.month}月 · 广东省生态环境厅",
        text,
        ctx.as_of,
        table=excerpt,
        table_rows=40,
        notes=["注：水质类别依据《地表水环境质量标准》（GB 3838-2002）评价。"],
    )


# --------------------------------------------------------------------------- 广州

GZ_STREETS = {
    "越秀区": "北京街 人民街 东山街 农林街 华乐街 登峰街", "荔湾区": "沙面街 多宝街 逢源街 彩虹街 西村街",
    "海珠区": "赤岗街 新港街 江海街 琶洲街 南石头街", "天河区": "天河南街 林和街 石牌街 猎德街 冼村街 员村街",
    "白云区": "三元里街 京溪街 同和街 嘉禾街 石井街", "黄埔区": "黄埔街 大沙街 萝岗街 联和街 夏港街",
    "番禺区": "市桥街 大石街 洛浦街 钟村街 南村镇", "花都区": "新华街 新雅街 秀全街 花城街",
    "南沙区": "南沙街 珠江街 龙穴街 黄阁镇", "从化区": "街口街 江埔街 城郊街", "增城区": "荔城街 增江街 永宁街 新塘镇",
}  # fmt: skip
PLACE_WORDS = [
    "花园",
    "大厦",
    "广场",
    "新村",
    "小区",
    "苑",
    "中心",
    "公寓",
    "雅居",
    "名苑",
    "商务中心",
    "科技园",
]


def addresses(ctx: Ctx) -> Table:
    rows, seen = [], set()
    while len(rows) < 3000:
        district, (lon, lat) = district_point(ctx.rng, "广州市")
        street = ctx.rng.choice(GZ_STREETS[district].split())
        road = ctx.rng.choice(ROADS["广州市"])
        number = f"{ctx.rng.randint(1, 680)}号"
        place = f"{ctx.rng.choice(('锦绣', '翠湖', '金碧', '祥和', '丽景', '汇景', '海德', '云山', '珠江', '天誉'))}{ctx.rng.choice(PLACE_WORDS)}"
        full = f"广东省广州市{district}{street}{road}{number}"
        if full in seen:
            continue
        seen.add(full)
        rows.append([full, place, GZ_DISTRICT_CODES[district], street, number, lon, lat])
    columns = ["标准地址", "地名", "行政区划代码", "街道", "门牌号", "经度", "纬度"]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


POWER_SECTIONS = {"第一产业": 0.02, "工业": 0.42, "建筑业": 0.03, "交通运输、仓储和邮政业": 0.05, "信息传输、软件和信息技术服务业": 0.07, "批发和零售业": 0.09, "住宿和餐饮业": 0.04, "城乡居民生活": 0.28}  # fmt: skip


def power_by_industry(ctx: Ctx) -> Table:
    rows = []
    # A year more than is published, so that every published month has its year-on-year rate.
    months = last_months(ctx.as_of, 48)
    for district in DISTRICTS["广州市"]:
        size = ctx.rng.uniform(40_000, 120_000)
        for section, share in POWER_SECTIONS.items():
            users = (
                int(size * share * ctx.rng.uniform(2, 6))
                if section == "城乡居民生活"
                else int(size * share / 8 * ctx.rng.uniform(0.5, 2))
            )
            previous = {}
            for month in months:
                hot = seasonal(month, mean=1.0, amplitude=0.22, peak_day=205)
                growth = 1 + 0.055 * (month.year - 2024) + ctx.rng.gauss(0, 0.02)
                value = size * share * hot * growth * (0.8 if month.month == 2 else 1.0)
                last_year = previous.get((month.month,))
                rate = None if last_year is None else dec(100 * (value / last_year - 1), 2)
                previous[(month.month,)] = value
                if rate is not None:
                    rows.append(
                        [
                            month.strftime("%Y-%m"),
                            district,
                            section,
                            dec(value / 10, 2),
                            rate,
                            users,
                        ]
                    )
    columns = ["统计月份", "行政区", "行业门类", "用电量", "同比增长率", "用电户数"]
    return Table(columns, rows, ctx.as_of, sheet="分行业用电量")


CHARGING_OPERATORS = ["新能源科技", "充电科技", "能源服务", "智慧能源"]


def charging_stations(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    operators = [names.company("广州市", ctx.rng.choice(CHARGING_OPERATORS)) for _ in range(12)]
    for seq in range(1, 1601):
        district, (lon, lat) = district_point(ctx.rng, "广州市")
        place = ctx.rng.choice(
            (
                "地下停车场",
                "公交场站",
                "商业广场",
                "物流园",
                "社区",
                "加油站",
                "高铁站停车场",
                "产业园",
            )
        )
        fast, slow = (
            ctx.rng.choice((0, 2, 4, 6, 8, 10, 12, 20, 30)),
            ctx.rng.choice((0, 0, 4, 6, 10, 16, 20)),
        )
        rows.append([
            f"GZCD{seq:05d}", f"{ctx.rng.choice(ROADS['广州市'])}{place}充电站", ctx.rng.choice(operators), district,
            address(ctx.rng, "广州市", district), fast or 2, slow, dec(ctx.rng.choice((0.6, 0.65, 0.7, 0.75, 0.8, 0.8, 0.85)), 2), lon, lat,
        ])  # fmt: skip
    columns = [
        "充电站编号",
        "充电站名称",
        "运营单位",
        "所在区",
        "地址",
        "快充桩数",
        "慢充桩数",
        "充电服务费",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


GZ_PARKS = [
    ("越秀公园", "越秀区", "综合公园", 86), ("流花湖公园", "越秀区", "综合公园", 54), ("人民公园", "越秀区", "综合公园", 4.4),
    ("东山湖公园", "越秀区", "综合公园", 32), ("麓湖公园", "白云区", "综合公园", 205), ("荔湾湖公园", "荔湾区", "综合公园", 27),
    ("海珠湖公园", "海珠区", "综合公园", 150), ("晓港公园", "海珠区", "综合公园", 14), ("天河公园", "天河区", "综合公园", 70),
    ("珠江公园", "天河区", "专类公园", 28), ("云台花园", "白云区", "专类公园", 12), ("儿童公园", "白云区", "专类公园", 19),
    ("雕塑公园", "越秀区", "专类公园", 18), ("火炉山森林公园", "天河区", "郊野公园", 440), ("大夫山森林公园", "番禺区", "郊野公园", 810),
    ("滴水岩森林公园", "番禺区", "郊野公园", 180), ("香雪公园", "黄埔区", "综合公园", 12), ("蟠龙公园", "南沙区", "综合公园", 10),
    ("花都湖公园", "花都区", "综合公园", 400), ("增城广场", "增城区", "综合公园", 24), ("从化流溪河公园", "从化区", "郊野公园", 60),
]  # fmt: skip


def parks(ctx: Ctx) -> Table:
    rows, shapes = [], []
    parks = list(GZ_PARKS)
    for i in range(len(parks), 120):
        district = ctx.rng.choice(list(DISTRICTS["广州市"]))
        street = ctx.rng.choice(GZ_STREETS[district].split()).removesuffix("街").removesuffix("镇")
        parks.append(
            (
                f"{street}社区公园{'' if i % 3 else '（二期）'}",
                district,
                "社区公园",
                round(ctx.rng.uniform(0.6, 6.0), 1),
            )
        )
    for seq, (name, district, kind, hectares) in enumerate(parks, start=1):
        centre = district_point(ctx.rng, "广州市", district)[1]
        hours = "全天开放" if kind in ("社区公园", "郊野公园") else "6:00-22:00"
        rows.append([f"GZGY{seq:03d}", name, kind, district, dec(hectares, 1), hours])
        shapes.append(polygon(ctx.rng, centre, hectares / 100, corners=12 if hectares < 20 else 18))
    columns = ["公园编号", "公园名称", "公园类型", "所在区", "面积", "开放时间"]
    return Table(columns, rows, ctx.as_of, shapes=shapes)


HOSPITAL_DEPARTMENTS = [
    "心血管内科",
    "呼吸与危重症医学科",
    "消化内科",
    "神经内科",
    "内分泌科",
    "肾内科",
    "血液内科",
    "风湿免疫科",
    "感染科",
    "普通外科",
    "胃肠外科",
    "肝胆外科",
    "骨科",
    "泌尿外科",
    "神经外科",
    "胸外科",
    "心脏大血管外科",
    "乳腺外科",
    "妇科",
    "产科",
    "儿科",
    "眼科",
    "耳鼻咽喉科",
    "口腔科",
    "皮肤科",
    "康复医学科",
    "中医科",
    "精神心理科",
    "肿瘤科",
    "疼痛科",
    "营养科",
    "全科医学科",
]


def clinic_schedule(ctx: Ctx) -> Table:
    rows = []
    for campus, share in (("院本部", 1.0), ("南沙院区", 0.55)):
        for n, department in enumerate(HOSPITAL_DEPARTMENTS):
            if ctx.rng.random() > share:
                continue
            floor = f"{campus[:2]}门诊楼{ctx.rng.randint(1, 6)}楼{'ABCD'[n % 4]}区"
            for day in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"):
                for session in ("上午", "下午") + (
                    ("夜间",) if department in ("儿科", "全科医学科") else ()
                ):
                    if day in ("周六", "周日") and ctx.rng.random() < 0.6:
                        continue
                    for kind in ("普通门诊", "专家门诊") + (
                        ("专病门诊",) if ctx.rng.random() < 0.15 else ()
                    ):
                        slots = (
                            ctx.rng.randint(18, 60)
                            if kind == "普通门诊"
                            else ctx.rng.randint(8, 30)
                        )
                        rows.append([campus, department, kind, day, session, slots, floor])
    columns = ["院区", "科室", "门诊类型", "星期", "时段", "号源数", "诊室位置"]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 深圳

MEDICAL_KINDS = {
    "诊所": 10,
    "门诊部": 6,
    "社区健康服务中心": 8,
    "医院": 2,
    "口腔诊所": 4,
    "中医诊所": 4,
    "医学检验实验室": 0.8,
}
MEDICAL_SCOPES = {
    "诊所": "内科；外科；预防保健科", "门诊部": "内科；外科；妇产科；儿科；医学检验科；医学影像科",
    "社区健康服务中心": "全科医疗科；预防保健科；中医科；妇女保健科；儿童保健科", "医院": "内科；外科；妇产科；儿科；急诊医学科；麻醉科；医学检验科；医学影像科",
    "口腔诊所": "口腔科", "中医诊所": "中医科", "医学检验实验室": "医学检验科",
}  # fmt: skip


def medical_institutions(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for _ in range(800):
        district, _point = district_point(ctx.rng, "深圳市")
        kind = weighted(ctx.rng, MEDICAL_KINDS)
        name = (
            names.company("深圳", "", kind)
            if kind != "社区健康服务中心"
            else f"深圳市{district}{ctx.rng.choice(ROADS['深圳市'])[:2]}社区健康服务中心"
        )
        beds = (
            ctx.rng.randint(120, 1500)
            if kind == "医院"
            else (ctx.rng.choice((0, 0, 5, 10, 20)) if kind == "门诊部" else 0)
        )
        code = f"{ctx.rng.randrange(10**8):08d}{SZ_DISTRICT_CODES[district]}{ctx.rng.choice('ACDEG')}{ctx.rng.randint(1, 9)}{ctx.rng.randrange(1000):03d}"
        rows.append([name, code, kind, address(ctx.rng, "深圳市", district), MEDICAL_SCOPES[kind], beds,
                     day_between(ctx.rng, ctx.as_of, add_years(ctx.as_of, 5))])  # fmt: skip
    columns = ["机构名称", "登记号", "机构类别", "地址", "诊疗科目", "床位数", "有效期至"]
    return Table(columns, rows, ctx.as_of)


STOP_SUFFIXES = ("", "", "口", "东", "西", "南", "北", "中", "路口", "总站", "首末站")
SZ_LANDMARKS = [
    "市民中心",
    "会展中心",
    "深圳北站",
    "福田口岸",
    "华强北",
    "科技园",
    "大学城",
    "前海湾",
    "深圳湾公园",
    "世界之窗",
    "东门",
    "老街",
    "布吉",
    "坂田",
    "观澜湖",
    "大鹏",
    "西丽",
    "蛇口港",
]


def bus_stops(ctx: Ctx) -> Table:
    """5,000 rows: the stops of about 190 routes, stop ids with leading zeros."""
    rows, stop_ids = [], {}
    route = 0
    while len(rows) < 5000:
        route += 1
        district, start = district_point(ctx.rng, "深圳市")
        count = min(ctx.rng.randint(16, 38), 5000 - len(rows))
        number = (
            f"{'M' if route % 3 == 0 else ('B' if route % 7 == 0 else '')}{ctx.rng.randint(1, 985)}"
        )
        points = walk(ctx.rng, start, count, km=0.7)
        first = f"{ctx.rng.randint(5, 7):02d}:{ctx.rng.choice(('00', '15', '30', '45'))}"
        last = f"{ctx.rng.randint(21, 23)}:{ctx.rng.choice(('00', '30'))}"
        fare = dec(ctx.rng.choice((2, 2, 2, 2.5, 3, 3.5, 4, 5)), 1)
        for order, (lon, lat) in enumerate(points, start=1):
            name = (
                (
                    ctx.rng.choice(SZ_LANDMARKS)
                    if ctx.rng.random() < 0.15
                    else ctx.rng.choice(ROADS["深圳市"])
                )
                + ctx.rng.choice(STOP_SUFFIXES)
                + "站"
            )
            stop_id = stop_ids.setdefault(
                (name, round(lon, 2), round(lat, 2)), f"{len(stop_ids) + 1:06d}"
            )
            rows.append(
                [f"{route:04d}", f"{number}路", stop_id, name, order, first, last, fare, lon, lat]
            )
    columns = [
        "线路编号",
        "线路名称",
        "站点编号",
        "站点名称",
        "站序",
        "首班时间",
        "末班时间",
        "票价",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


def community_health_centres(ctx: Ctx) -> Table:
    rows, seen = [], set()
    hospitals = [f"深圳市{d}人民医院" for d in DISTRICTS["深圳市"]] + [
        "北京大学深圳医院",
        "香港大学深圳医院",
        "深圳市中医院",
    ]
    while len(rows) < 820:
        district, (lon, lat) = district_point(ctx.rng, "深圳市")
        name = f"{ctx.rng.choice(ROADS['深圳市'])[:2]}{ctx.rng.choice(('', '一', '二', '东', '西', '南', '北'))}社区健康服务中心"
        if (district, name) in seen:
            continue
        seen.add((district, name))
        rows.append([
            f"SZSK{len(rows) + 1:04d}", f"{district}{name}", ctx.rng.choice(hospitals), district, f"{ctx.rng.choice(ROADS['深圳市'])[:2]}街道",
            address(ctx.rng, "深圳市", district), ctx.rng.choice(("8:00-12:00，14:00-17:30", "8:00-21:00", "全天24小时")),
            ctx.rng.randint(2, 9), lon, lat,
        ])  # fmt: skip
    columns = [
        "机构代码",
        "机构名称",
        "举办机构",
        "所在区",
        "所在街道",
        "地址",
        "服务时间",
        "家庭医生团队数",
        "经度",
        "纬度",
    ]
    return Table(columns, rows, ctx.as_of, lon="经度", lat="纬度")


def parking_fees(ctx: Ctx) -> Table:
    rows = []
    for district in DISTRICTS["深圳市"]:
        for n, area in enumerate(("一类区域", "二类区域", "三类区域")):
            for vehicle in ("小型车", "大型车"):
                for period in ("07:30-21:00（工作日）", "07:30-21:00（休息日）"):
                    first = (
                        (10, 6, 4)[n]
                        * (2 if vehicle == "大型车" else 1)
                        * (0.8 if "休息日" in period else 1)
                    )
                    rows.append([f"SZTC{SZ_DISTRICT_CODES[district][-2:]}{n + 1}", district, area, vehicle, period,
                                 dec(first, 1), dec(first / 2 * 1.5, 1), dt.date(2023, 7, 1)])  # fmt: skip
    columns = [
        "片区编号",
        "所在区",
        "区域类别",
        "车型",
        "时段",
        "首小时收费",
        "续时收费",
        "执行日期",
    ]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 佛山

TRAINING_TRADES = [
    "电工",
    "焊工",
    "保育师",
    "育婴员",
    "养老护理员",
    "中式烹调师",
    "美容师",
    "美发师",
    "汽车维修工",
    "电子商务师",
    "家政服务员",
    "茶艺师",
    "钳工",
    "数控车工",
    "西式面点师",
    "健康管理师",
]


def training_organisations(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 261):
        district = ctx.rng.choice(list(DISTRICTS["佛山市"]))
        trades = "、".join(ctx.rng.sample(TRAINING_TRADES, ctx.rng.randint(2, 6)))
        rows.append([
            names.company("佛山市", "职业技能培训", "学校") if seq % 3 else names.company("佛山市", "培训中心", ""),
            f"人社民{'44060' + str(ctx.rng.randint(4, 8))}{seq:06d}号", trades,
            ctx.rng.choice(("初级工、中级工", "初级工至高级工", "初级工至技师", "中级工至高级技师")),
            address(ctx.rng, "佛山市", district), phone(ctx.rng, "0757"),
        ])  # fmt: skip
    columns = ["机构名称", "办学许可证号", "培训工种", "培训等级", "地址", "联系电话"]
    return Table(columns, rows, ctx.as_of, sheet="培训机构名录")


OCCUPATIONS = [
    ("1-06-01-00", "企业董事", 9), ("2-02-10-03", "软件工程技术人员", 7), ("2-02-07-05", "机械设计工程技术人员", 6),
    ("2-06-07-04", "会计专业人员", 4.5), ("2-05-07-00", "护士", 4.2), ("2-08-01-01", "中小学教育教师", 5),
    ("3-01-02-01", "行政办事员", 3.2), ("4-01-02-01", "营销员", 3.6), ("4-01-02-03", "电子商务师", 4.4),
    ("4-02-02-01", "道路客运汽车驾驶员", 4.8), ("4-02-06-03", "快递员", 5.2), ("4-03-02-01", "中式烹调师", 4.5),
    ("4-03-02-05", "餐厅服务员", 3.1), ("4-07-05-01", "物业管理员", 3.4), ("4-10-01-05", "保育师", 3.6),
    ("4-10-01-06", "养老护理员", 3.9), ("4-10-04-02", "家政服务员", 4.1), ("4-12-01-01", "汽车维修工", 4.6),
    ("6-18-01-01", "车工", 5.1), ("6-18-01-02", "铣工", 5.0), ("6-18-02-04", "焊工", 5.4),
    ("6-20-03-01", "电工", 5.3), ("6-25-04-01", "电子产品制版工", 4.4), ("6-28-01-01", "家具制作工", 4.7),
    ("6-29-01-01", "砌筑工", 5.6), ("6-31-01-03", "仓储管理员", 3.9), ("6-31-01-06", "装卸搬运工", 4.2),
]  # fmt: skip


def wage_levels(ctx: Ctx) -> Table:
    rows = []
    for year in range(ctx.as_of.year - 3, ctx.as_of.year):
        growth = 1.045 ** (year - 2023)
        for code, name, median in OCCUPATIONS:
            mid = median * 1000 * growth * ctx.rng.uniform(0.97, 1.03)
            rows.append(
                [
                    code,
                    name,
                    dec(mid * 0.58, 0),
                    dec(mid, 0),
                    dec(mid * 1.9, 0),
                    dec(mid * 1.12, 0),
                    year,
                ]
            )
    columns = ["职业代码", "职业名称", "低位数", "中位数", "高位数", "平均数", "统计年度"]
    return Table(columns, rows, ctx.as_of, sheet="工资价位")
