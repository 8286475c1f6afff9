"""File builders for the datasets of holders in Sichuan, Shandong, Hubei, Beijing, Tibet and
Qinghai."""

from __future__ import annotations

import datetime as dt
import math

from portal.demo.formats import Report, Table
from portal.demo.geo import polygon
from portal.demo.places import (
    CITIES,
    DISTRICTS,
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
    aqi,
    aqi_level,
    credit_code,
    day_between,
    days_back,
    dec,
    hours_back,
    last_months,
    phone,
    seasonal,
    weighted,
)

SC_CITY_CODES = dict(zip(CITIES["四川省"], ["510100", "510300", "510400", "510500", "510600", "510700", "510800", "510900", "511000", "511100", "511300", "511400", "511500", "511600", "511700", "511800", "511900", "512000", "513200", "513300", "513400"], strict=True))  # fmt: skip
SD_CITY_CODES = dict(zip(CITIES["山东省"], ["370100", "370200", "370300", "370400", "370500", "370600", "370700", "370800", "370900", "371000", "371100", "371300", "371400", "371500", "371600", "371700"], strict=True))  # fmt: skip
HB_CITY_CODES = dict(zip(CITIES["湖北省"], ["420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900", "421000", "421100", "421200", "421300", "422800", "429021"], strict=True))  # fmt: skip
XZ_CITY_CODES = dict(zip(CITIES["西藏自治区"], ["540100", "540200", "540300", "540400", "540500", "540600", "542500"], strict=True))  # fmt: skip
SC_BASIN = (
    "成都市",
    "德阳市",
    "绵阳市",
    "遂宁市",
    "内江市",
    "乐山市",
    "南充市",
    "眉山市",
    "宜宾市",
    "广安市",
    "达州市",
    "资阳市",
    "自贡市",
    "泸州市",
)


# --------------------------------------------------------------------------- 四川省农业农村厅


def farmland_projects(ctx: Ctx) -> Table:
    """High-standard farmland projects with their plot outlines (conditional data)."""
    rows, shapes = [], []
    for seq in range(1, 301):
        city = ctx.rng.choice(SC_BASIN)
        code, county = ctx.rng.choice(county_codes_of(SC_CITY_CODES[city]))
        year = ctx.rng.randint(2019, ctx.as_of.year - 1)
        mu = ctx.rng.choice((3000, 5000, 8000, 10000, 12000, 15000, 20000))
        centre = jitter(ctx.rng, CITIES["四川省"][city], 30)
        rows.append([f"GBZ{code}{year}{seq:04d}", f"{county}{year}年高标准农田建设项目（{ctx.rng.choice(('一', '二', '三'))}标段）", county,
                     dec(mu, 0), dec(mu * ctx.rng.uniform(0.15, 0.3), 2), year])  # fmt: skip
        shapes.append(polygon(ctx.rng, centre, mu / 1500, corners=10))
    return Table(
        ["项目编号", "项目名称", "所在县", "建设面积", "总投资", "竣工年份"],
        rows,
        ctx.as_of,
        shapes=shapes,
        sheet="项目清单",
    )


PRODUCE = {
    "大白菜": 1.6, "土豆": 2.4, "番茄": 4.8, "黄瓜": 4.0, "青椒": 5.2, "茄子": 4.4, "芹菜": 3.6, "菠菜": 5.0, "白萝卜": 1.8,
    "胡萝卜": 2.8, "大蒜": 8.5, "生姜": 9.5, "白条猪肉": 24.0, "牛肉": 62.0, "鸡蛋": 9.2, "活鸡": 20.0, "草鱼": 15.5,
    "鲫鱼": 18.0, "苹果": 7.6, "柑橘": 5.4,
}  # fmt: skip
SC_MARKETS = ["成都农产品中心批发市场", "成都蒙阳农副产品批发市场", "绵阳高水农产品批发市场", "南充莲池农产品批发市场", "乐山五通桥农产品批发市场",
              "宜宾南岸农产品批发市场", "达州农产品综合批发市场", "泸州农产品批发市场", "德阳旌阳农产品批发市场", "攀枝花农产品批发市场",
              "西昌农产品批发市场", "雅安农产品批发市场"]  # fmt: skip


def market_prices(ctx: Ctx) -> Table:
    rows = []
    days = days_back(ctx.as_of, 30)
    for market in SC_MARKETS:
        local = ctx.rng.uniform(0.92, 1.08)
        for item, price in PRODUCE.items():
            level = price * local
            for day in days:
                winter = seasonal(
                    day,
                    mean=1.0,
                    amplitude=0.12 if item in ("番茄", "黄瓜", "青椒", "菠菜") else 0.03,
                    peak_day=20,
                )
                level *= math.exp(ctx.rng.gauss(0, 0.018))
                avg = level * winter
                spread = avg * ctx.rng.uniform(0.08, 0.2)
                grade = (
                    "白条"
                    if "猪肉" in item
                    else ("统货" if item not in ("苹果", "柑橘") else "一级")
                )
                rows.append(
                    [
                        market,
                        item,
                        grade,
                        dec(avg - spread, 2),
                        dec(avg + spread, 2),
                        dec(avg, 2),
                        day,
                    ]
                )
    rows.sort(key=lambda r: (r[6], r[0]))
    return Table(
        ["市场名称", "品种", "规格", "最低价", "最高价", "平均价", "价格日期"], rows, ctx.as_of
    )


SC_CROPS = {"稻谷": (1850, 7900), "小麦": (600, 3900), "玉米": (1850, 5900), "油菜籽": (1250, 2550), "马铃薯": (750, 4200), "大豆": (420, 2100)}  # fmt: skip


def crop_output(ctx: Ctx) -> Table:
    rows = []
    shares = {
        city: (3.0 if city in SC_BASIN else 0.6) * ctx.rng.uniform(0.6, 1.4)
        for city in SC_CITY_CODES
    }
    total_share = sum(shares.values())
    for year in range(ctx.as_of.year - 10, ctx.as_of.year):
        weather = ctx.rng.gauss(1.0, 0.025)
        for city, share in shares.items():
            for crop, (area, yield_) in SC_CROPS.items():
                a = (
                    area
                    * share
                    / total_share
                    * (1 + 0.004 * (year - 2020))
                    * ctx.rng.uniform(0.97, 1.03)
                )
                y = yield_ * weather * (1 + 0.008 * (year - 2020)) * ctx.rng.uniform(0.95, 1.05)
                rows.append([year, city, crop, dec(a, 2), dec(y, 0), dec(a * y / 10000, 2)])
    return Table(
        ["年度", "市州", "作物", "播种面积", "单产", "总产量"], rows, ctx.as_of, sheet="主要农作物"
    )


COOP_INDUSTRIES = {
    "种植": 45,
    "养殖": 25,
    "农机": 6,
    "林业": 5,
    "渔业": 4,
    "农产品加工": 8,
    "休闲农业": 4,
    "植保": 3,
}


def cooperatives(ctx: Ctx) -> Table:
    """2,000 farmers' cooperatives; published GBK-encoded."""
    rows, seen = [], set()
    while len(rows) < 2000:
        city = weighted(ctx.rng, {c: 3 if c in SC_BASIN else 1 for c in SC_CITY_CODES})
        code, county = ctx.rng.choice(county_codes_of(SC_CITY_CODES[city]))
        industry = weighted(ctx.rng, COOP_INDUSTRIES)
        product = {"种植": ("柑橘", "茶叶", "猕猴桃", "蔬菜", "水稻", "花椒", "中药材"), "养殖": ("生猪", "肉牛", "山羊", "蛋鸡", "兔"), "林业": ("竹", "核桃", "油茶")}.get(industry, (industry,))  # fmt: skip
        name = f"{county}{ctx.rng.choice(('金土地', '绿源', '丰收', '田园', '富民', '红心', '晨曦', '天府'))}{ctx.rng.choice(product)}专业合作社"
        if name in seen:
            continue
        seen.add(name)
        level = weighted(ctx.rng, {"国家级": 1, "省级": 4, "市级": 10, "无": 85})
        rows.append([credit_code(ctx.rng, code, authority="93"), name, city, county, industry, ctx.rng.randint(5, 480), level,
                     day_between(ctx.rng, dt.date(2008, 7, 1), ctx.as_of - dt.timedelta(days=10))])  # fmt: skip
    columns = [
        "统一社会信用代码",
        "合作社名称",
        "所在市州",
        "所在县区",
        "主营产业",
        "成员数",
        "示范社级别",
        "成立日期",
    ]
    return Table(columns, rows, ctx.as_of)


# --------------------------------------------------------------------------- 成都地铁

CD_LINES = {
    "1号线": "韦家碾 升仙湖 火车北站 人民北路 文殊院 骡马市 天府广场 锦江宾馆 华西坝 省体育馆 倪家桥 桐梓林 火车南站 高新 金融城 孵化园 锦城广场 世纪城 天府三街 天府五街 华府大道 四河 广都",
    "2号线": "犀浦 天河路 百草路 金周路 金科北路 迎宾大道 茶店子客运站 羊犀立交 一品天下 蜀汉路东 白果林 中医大省医院 通锦桥 人民公园 天府广场 春熙路 东门大桥 牛王庙 牛市口 东大路 塔子山公园 成都东客站 成渝立交 惠王陵 洪河 成都行政学院 大面铺 连山坡 界牌 书房 龙平路 龙泉驿",
    "3号线": "军区总医院 熊猫大道 动物园 昭觉寺南路 驷马桥 李家沱 前锋路 红星桥 市二医院 春熙路 新南门 磨子桥 省体育馆 衣冠庙 高升桥 红牌楼 太平园 川藏立交 武侯立交 双流广场 双流西站",
    "4号线": "万盛 杨柳河 凤溪河 南熏大道 光华公园 涌泉 凤凰大街 马厂坝 非遗博览园 蔡桥 中坝 成都西站 清江西路 文化宫 西南财大 草堂北路 中医大省医院 宽窄巷子 骡马市 太升南路 市二医院 玉双路 双桥路 万年场 槐树店 来龙 十陵 成都大学 明蜀王陵 西河",
    "7号线": "火车北站 北站西二路 九里堤 西南交大 花照壁 茶店子 一品天下 金沙博物馆 文化宫 东坡路 龙爪堰 武侯大道 太平园 高朋大道 神仙树 火车南站 三瓦窑 琉璃场 四川师大 狮子山 大观 成都东客站 双店路 崔家店 理工大学 二仙桥 八里庄 府青路 驷马桥",
}  # fmt: skip
CD_ALL_LINES = [
    "1号线",
    "2号线",
    "3号线",
    "4号线",
    "5号线",
    "6号线",
    "7号线",
    "8号线",
    "9号线",
    "10号线",
    "17号线",
    "18号线",
    "19号线",
]


def metro_operations(ctx: Ctx) -> Table:
    rows = []
    for day in days_back(ctx.as_of, 90):
        weekend = day.weekday() >= 5
        for n, metro_line in enumerate(CD_ALL_LINES):
            trips = int((620 - n * 30) * (0.85 if weekend else 1.0))
            km = trips * ctx.rng.uniform(24, 38) * 6
            riders = int(
                (1_050_000 - n * 70_000) * (0.82 if weekend else 1.0) * ctx.rng.uniform(0.93, 1.07)
            )
            rows.append(
                [
                    day,
                    metro_line,
                    trips,
                    dec(min(100, ctx.rng.gauss(99.92, 0.06)), 2),
                    dec(km, 1),
                    max(riders, 60_000),
                ]
            )
    return Table(["运营日期", "线路", "开行列次", "准点率", "运营里程", "客运量"], rows, ctx.as_of)


def metro_exits(ctx: Ctx) -> Table:
    rows = []
    for metro_line, stations in CD_LINES.items():
        for n, station in enumerate(stations.split(), start=1):
            district, centre = district_point(ctx.rng, "成都市")
            for exit_no in ctx.rng.sample(
                ["A", "B", "C", "D", "E", "F", "G", "H", "A1", "A2", "B1", "C2"],
                ctx.rng.randint(3, 8),
            ):
                lon, lat = jitter(ctx.rng, centre, 0.25)
                rows.append([f"{metro_line[:-2]:0>2}{n:02d}", station, metro_line, exit_no, f"{station}{ctx.rng.choice(('东侧', '西侧', '南侧', '北侧'))}·{ctx.rng.choice(('公交站', '商场', '学校', '医院', '小区', '路口'))}",
                             ctx.rng.random() < 0.35, lon, lat])  # fmt: skip
    return Table(
        ["车站编号", "车站名称", "线路", "出入口编号", "出入口名称", "无障碍电梯", "经度", "纬度"],
        rows,
        ctx.as_of,
        lon="经度",
        lat="纬度",
    )


def metro_timetable(ctx: Ctx) -> Table:
    rows = []
    for metro_line, stations in CD_LINES.items():
        names = stations.split()
        for direction, order in ((f"往{names[-1]}", names), (f"往{names[0]}", names[::-1])):
            for i, station in enumerate(order):
                first = dt.datetime(2026, 1, 1, 6, 30) + dt.timedelta(minutes=int(i * 2.4))  # noqa: DTZ001 - a time of day
                last = dt.datetime(2026, 1, 1, 22, 30) + dt.timedelta(minutes=int(i * 2.4))  # noqa: DTZ001
                for days in ("工作日", "周末及节假日"):
                    extra = dt.timedelta(
                        minutes=30
                        if days == "周末及节假日" and metro_line in ("1号线", "2号线")
                        else 0
                    )
                    rows.append(
                        [
                            metro_line,
                            station,
                            direction,
                            first.strftime("%H:%M"),
                            (last + extra).strftime("%H:%M"),
                            days,
                        ]
                    )
    return Table(["线路", "车站", "方向", "首班车时间", "末班车时间", "适用日期"], rows, ctx.as_of)


# --------------------------------------------------------------------------- 山东

SERVICE_ITEMS = [
    ("110200001", "普通门诊诊查费", "次", 8, "甲类"), ("110200002", "副主任医师门诊诊查费", "次", 25, "乙类"),
    ("110200003", "主任医师门诊诊查费", "次", 35, "乙类"), ("110200005", "急诊诊查费", "次", 12, "甲类"),
    ("110900001", "普通病房床位费（三人间）", "日", 50, "甲类"), ("110900002", "普通病房床位费（双人间）", "日", 70, "乙类"),
    ("111000001", "重症监护", "小时", 12, "甲类"), ("120100001", "Ⅰ级护理", "日", 30, "甲类"), ("120100002", "Ⅱ级护理", "日", 18, "甲类"),
    ("120400001", "肌肉注射", "次", 3, "甲类"), ("120400006", "静脉输液", "组", 8, "甲类"), ("121300001", "氧气吸入", "小时", 4, "甲类"),
    ("210102001", "X线摄影（每个部位）", "部位", 50, "甲类"), ("210300001", "CT平扫（每个部位）", "部位", 160, "乙类"),
    ("210300002", "CT增强扫描（每个部位）", "部位", 260, "乙类"), ("210200001", "磁共振平扫（每个部位）", "部位", 460, "乙类"),
    ("220201001", "常规B超检查（每个部位）", "部位", 40, "甲类"), ("220600001", "彩色多普勒超声心动图", "次", 180, "乙类"),
    ("250101001", "血常规（五分类）", "项", 20, "甲类"), ("250301001", "尿常规", "项", 8, "甲类"), ("250305001", "肝功能（八项）", "组", 60, "乙类"),
    ("250401001", "血糖测定", "项", 6, "甲类"), ("250403001", "糖化血红蛋白", "项", 45, "乙类"), ("310701001", "常规心电图检查", "次", 20, "甲类"),
    ("311201001", "阑尾切除术", "次", 900, "乙类"), ("331303001", "腹腔镜胆囊切除术", "次", 2600, "乙类"), ("331501001", "人工全髋关节置换术", "次", 4800, "乙类"),
    ("330609001", "冠状动脉支架植入术", "次", 4200, "乙类"), ("410000001", "针刺", "次", 20, "乙类"), ("430000001", "推拿治疗", "次", 30, "乙类"),
]  # fmt: skip
SERVICE_VARIANTS = [
    "",
    "（儿童加收）",
    "（急诊加收）",
    "（三级医院）",
    "（二级医院）",
    "（床旁）",
    "（使用特殊设备）",
    "（夜间）",
]


def service_prices(ctx: Ctx) -> Table:
    rows = []
    for code, name, unit, price, category in SERVICE_ITEMS:
        for n, variant in enumerate(SERVICE_VARIANTS):
            if n and ctx.rng.random() < 0.35:
                continue
            factor = 1.0 if not variant else ctx.rng.choice((0.8, 1.1, 1.2, 1.3))
            rows.append([f"{code}{n:02d}" if n else code, f"{name}{variant}", f"含{name}所需的常规操作及一次性材料以外的全部内容。", "一次性特殊材料", unit,
                         dec(price * factor, 2), category])  # fmt: skip
    return Table(
        ["项目编码", "项目名称", "项目内涵", "除外内容", "计价单位", "三级医院价格", "医保类别"],
        rows,
        ctx.as_of,
        sheet="医疗服务价格项目",
    )


def sd_pharmacies(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    for seq in range(1, 2501):
        city = weighted(
            ctx.rng,
            {
                c: 3 if c in ("济南市", "青岛市", "临沂市", "潍坊市", "烟台市") else 1
                for c in SD_CITY_CODES
            },
        )
        code, county = ctx.rng.choice(county_codes_of(SD_CITY_CODES[city]))
        rows.append([f"P{code}{seq:05d}", names.company(city, ctx.rng.choice(("大药房", "医药连锁", "药店", "健康药房")), ctx.rng.choice(("有限公司", "", "连锁有限公司"))),
                     city, county, f"山东省{city}{county}{ctx.rng.choice(('人民路', '建设路', '泰山路', '黄河路', '文化路'))}{ctx.rng.randint(1, 400)}号", ctx.rng.random() < 0.7,
                     day_between(ctx.rng, ctx.as_of + dt.timedelta(days=20), add_years(ctx.as_of, 2))])  # fmt: skip
    return Table(
        ["机构编码", "药店名称", "所在市", "所在县区", "地址", "门诊统筹", "协议有效期至"],
        rows,
        ctx.as_of,
    )


QD_SEAS = ["胶州湾", "崂山湾", "鳌山湾", "丁字湾", "灵山湾", "唐岛湾", "前海"]


def coastal_water(ctx: Ctx) -> Table:
    rows = []
    for n in range(1, 41):
        sea = QD_SEAS[n % len(QD_SEAS)]
        inner = sea == "胶州湾"
        for month in last_months(ctx.as_of, 24):
            din = ctx.rng.lognormvariate(math.log(0.32 if inner else 0.14), 0.3)
            cls = (
                "第一类"
                if din < 0.2
                else (
                    "第二类"
                    if din < 0.3
                    else ("第三类" if din < 0.4 else ("第四类" if din < 0.5 else "劣四类"))
                )
            )
            rows.append(
                [
                    f"QD{n:03d}",
                    sea,
                    month + dt.timedelta(days=ctx.rng.randint(5, 20)),
                    cls,
                    dec(din, 3),
                    dec(ctx.rng.uniform(0.004, 0.03), 4),
                    dec(ctx.rng.uniform(0.6, 1.8), 2),
                ]
            )
    return Table(
        ["点位编号", "海域", "监测日期", "水质类别", "无机氮", "活性磷酸盐", "化学需氧量"],
        rows,
        ctx.as_of,
    )


QD_BEACHES = [
    "第一海水浴场",
    "第二海水浴场",
    "第三海水浴场",
    "第六海水浴场",
    "石老人海水浴场",
    "金沙滩海水浴场",
    "银沙滩海水浴场",
    "仰口海水浴场",
    "流清河海水浴场",
    "灵山湾海水浴场",
]


def beach_water(ctx: Ctx) -> Table:
    rows = []
    season = ctx.as_of.year if ctx.as_of.month >= 10 else ctx.as_of.year - 1
    day = dt.date(season, 6, 1)
    while day <= dt.date(season, 9, 30):
        for beach in QD_BEACHES:
            bacteria = int(
                ctx.rng.lognormvariate(
                    math.log(180 if beach in ("第一海水浴场", "第六海水浴场") else 60), 0.9
                )
            )
            grade = "优" if bacteria < 200 else ("良" if bacteria < 1000 else "差")
            rows.append([beach, day, dec(seasonal(day, mean=20.5, amplitude=5, peak_day=230) + ctx.rng.gauss(0, 0.6), 1), bacteria,
                         "无" if ctx.rng.random() < 0.85 else "少量", grade, {"优": "适宜", "良": "较适宜", "差": "不适宜"}[grade]])  # fmt: skip
        day += dt.timedelta(days=7)
    return Table(
        ["浴场名称", "监测日期", "水温", "粪大肠菌群", "漂浮物", "水质等级", "游泳适宜度"],
        rows,
        ctx.as_of,
    )


def beach_report(ctx: Ctx) -> Report:
    table = beach_water(ctx)
    good = sum(1 for r in table.rows if r[5] in ("优", "良"))
    season = table.rows[0][1].year
    return Report(
        f"{season}年青岛市海水浴场水质状况",
        "青岛市海洋发展局",
        [
            f"{season}年游泳季（6月至9月），全市{len(QD_BEACHES)}个主要海水浴场共开展水质监测{len(table.rows)}次，"
            f"水质等级为优良的占{100 * good / len(table.rows):.1f}%。",
            "降雨后入海径流增加时，个别浴场粪大肠菌群浓度短时升高，游泳适宜度下降。建议游客关注每周发布的水质信息。",
            "本报告为演示数据，不代表真实监测结果。",
        ],
        ctx.as_of,
        table=Table(table.columns, table.rows[-len(QD_BEACHES) :], ctx.as_of),
    )


QD_TIDE_STATIONS = {"小麦岛": (0.0, 1.0), "董家口": (-0.3, 1.08), "鳌山湾": (0.2, 0.95)}


def tides(ctx: Ctx) -> Table:
    """Hourly tide heights: the M2 and S2 constituents (a semidiurnal tide with a spring-neap
    cycle) plus a small weather surge."""
    rows = []
    for station, (phase, scale) in QD_TIDE_STATIONS.items():
        surge = 0.0
        for when in hours_back(ctx.at, 24 * 30):
            hours = (when - dt.datetime(2026, 1, 1)).total_seconds() / 3600  # noqa: DTZ001
            predicted = 250 + scale * (
                130 * math.cos(2 * math.pi * hours / 12.42 + phase)
                + 42 * math.cos(2 * math.pi * hours / 12.0 + phase * 0.8)
            )
            surge = 0.9 * surge + ctx.rng.gauss(0, 3.5)
            rows.append([station, when, round(predicted + surge), round(predicted), round(surge)])
    return Table(["站点", "观测时间", "实测潮位", "预报潮位", "增减水"], rows, ctx.as_of)


# --------------------------------------------------------------------------- 湖北

HB_5A = [("黄鹤楼公园", "武汉市"), ("东湖生态旅游风景区", "武汉市"), ("黄陂木兰文化生态旅游区", "武汉市"), ("三峡大坝旅游区", "宜昌市"),
         ("三峡人家风景区", "宜昌市"), ("清江画廊景区", "宜昌市"), ("屈原故里文化旅游区", "宜昌市"), ("神农架旅游区", "神农架林区"),
         ("武当山风景区", "十堰市"), ("恩施大峡谷景区", "恩施土家族苗族自治州"), ("腾龙洞景区", "恩施土家族苗族自治州"),
         ("古隆中景区", "襄阳市"), ("三国赤壁古战场景区", "咸宁市"), ("大洪山风景名胜区", "随州市"), ("荆州古城历史文化旅游区", "荆州市")]  # fmt: skip
SCENIC_WORDS = [
    "生态园",
    "森林公园",
    "湿地公园",
    "古镇",
    "大峡谷",
    "温泉",
    "农业观光园",
    "红色教育基地",
    "民俗村",
    "漂流",
    "茶园",
    "水库风景区",
    "古村落",
    "花海",
]


def scenic_spots(ctx: Ctx) -> Table:
    rows, seen = [], set()
    spots = [(n, c, "5A") for n, c in HB_5A]
    while len(spots) < 436:
        city = weighted(
            ctx.rng,
            {
                c: 3
                if c in ("武汉市", "宜昌市", "恩施土家族苗族自治州", "十堰市", "襄阳市")
                else 1.2
                for c in HB_CITY_CODES
            },
        )
        county = ctx.rng.choice(counties_of(HB_CITY_CODES[city]) or (city,))
        name = f"{short_place(county)}{ctx.rng.choice(SCENIC_WORDS)}"
        if name not in seen:
            seen.add(name)
            spots.append((name, city, weighted(ctx.rng, {"4A": 32, "3A": 50, "2A": 16, "1A": 2})))
    for name, city, grade in spots:
        lon, lat = jitter(ctx.rng, CITIES["湖北省"][city], 25)
        rows.append([name, grade, city, f"湖北省{city}{name}", "8:00-17:30" if grade in ("5A", "4A") else "全天开放", phone(ctx.rng, "027" if city == "武汉市" else "0717"),
                     day_between(ctx.rng, dt.date(2001, 1, 1), ctx.as_of - dt.timedelta(days=30)), lon, lat])  # fmt: skip
    return Table(
        [
            "景区名称",
            "景区等级",
            "所在市州",
            "地址",
            "开放时间",
            "咨询电话",
            "评定日期",
            "经度",
            "纬度",
        ],
        rows,
        ctx.as_of,
        lon="经度",
        lat="纬度",
    )


def visitor_flow(ctx: Ctx) -> Table:
    rows = []
    spots = (
        HB_5A
        + [
            (f"{c[:2]}{w}", c)
            for c, w in zip(list(HB_CITY_CODES) * 4, SCENIC_WORDS * 4, strict=False)
        ][:45]
    )
    for day in days_back(ctx.as_of, 30):
        weekend = day.weekday() >= 5
        for name, _city in spots:
            capacity = 60000 if (name, _city) in HB_5A else ctx.rng.choice((8000, 12000, 20000))
            visitors = int(capacity * ctx.rng.uniform(0.08, 0.35) * (2.1 if weekend else 1.0))
            peak = int(visitors * ctx.rng.uniform(0.18, 0.3))
            ratio = peak / capacity
            rows.append(
                [
                    name,
                    day,
                    visitors,
                    peak,
                    capacity,
                    "舒适" if ratio < 0.3 else ("较舒适" if ratio < 0.6 else "拥挤"),
                ]
            )
    return Table(
        ["景区名称", "统计日期", "接待游客量", "瞬时客流", "最大承载量", "舒适度"], rows, ctx.as_of
    )


WH_LAKES = [("东湖", "武昌区", 33.9), ("汤逊湖", "江夏区", 47.6), ("梁子湖", "江夏区", 33.0), ("斧头湖", "江夏区", 38.5), ("后官湖", "蔡甸区", 13.9),
            ("南湖", "洪山区", 7.7), ("沙湖", "武昌区", 3.1), ("严西湖", "洪山区", 14.2), ("严东湖", "洪山区", 9.2), ("青菱湖", "洪山区", 8.2),
            ("野芷湖", "洪山区", 1.7), ("黄家湖", "洪山区", 8.2), ("墨水湖", "汉阳区", 3.6), ("月湖", "汉阳区", 0.7), ("龙阳湖", "汉阳区", 1.6),
            ("金银湖", "东西湖区", 8.0), ("后湖", "江岸区", 1.0), ("西湖", "江汉区", 0.1), ("北湖", "江汉区", 0.1), ("菱角湖", "江汉区", 0.1),
            ("涨渡湖", "新洲区", 37.0), ("武湖", "黄陂区", 19.0), ("杜公湖", "东西湖区", 1.2), ("知音湖", "蔡甸区", 2.5), ("鲁湖", "江夏区", 44.0)]  # fmt: skip
LAKE_WORDS = [
    "杨",
    "马",
    "刘",
    "塔",
    "白",
    "莲",
    "荷",
    "南",
    "北",
    "东",
    "西",
    "团",
    "五",
    "三",
    "牛",
    "官",
    "上",
    "下",
    "长",
    "大",
    "小",
    "青",
    "黄",
    "鸭",
    "鹅",
    "龙",
    "凤",
    "肖",
    "陈",
    "朱",
]


def wuhan_lakes(ctx: Ctx) -> Table:
    lakes, seen = list(WH_LAKES), {n for n, _d, _a in WH_LAKES}
    while len(lakes) < 166:
        name = f"{ctx.rng.choice(LAKE_WORDS)}{ctx.rng.choice(LAKE_WORDS)}湖"
        if name not in seen:
            seen.add(name)
            lakes.append(
                (
                    name,
                    ctx.rng.choice(list(DISTRICTS["武汉市"])),
                    round(ctx.rng.lognormvariate(-0.4, 1.1), 2),
                )
            )
    rows, shapes = [], []
    for seq, (name, district, km2) in enumerate(lakes, start=1):
        centre = district_point(ctx.rng, "武汉市", district)[1]
        target = "Ⅲ类" if km2 > 20 else ctx.rng.choice(("Ⅲ类", "Ⅳ类", "Ⅳ类", "Ⅴ类"))
        rows.append(
            [
                f"WHHP{seq:03d}",
                name,
                district,
                dec(km2, 2),
                dec(ctx.rng.uniform(1.2, 3.5), 1),
                target,
                f"{district}{'副区长' if seq % 3 else '区长'}",
            ]
        )
        shapes.append(polygon(ctx.rng, centre, max(km2, 0.05), corners=16))
    return Table(
        ["湖泊编号", "湖泊名称", "所在区", "水域面积", "平均水深", "水质目标", "湖长"],
        rows,
        ctx.as_of,
        shapes=shapes,
    )


HERITAGE_KINDS = {
    "古遗址": 30,
    "古墓葬": 15,
    "古建筑": 30,
    "石窟寺及石刻": 5,
    "近现代重要史迹及代表性建筑": 20,
}
HERITAGE_AGES = {"古遗址": ("新石器时代", "商", "周", "东周", "汉"), "古墓葬": ("东周", "汉", "三国", "宋", "明"), "古建筑": ("宋", "元", "明", "清"),
                 "石窟寺及石刻": ("唐", "宋", "明"), "近现代重要史迹及代表性建筑": ("1911年", "1927年", "1938年", "1949年", "1957年")}  # fmt: skip


def heritage_sites(ctx: Ctx) -> Table:
    rows = []
    for seq in range(1, 901):
        city = weighted(
            ctx.rng,
            {
                c: 2 if c in ("武汉市", "荆州市", "襄阳市", "宜昌市", "黄冈市") else 1
                for c in HB_CITY_CODES
            },
        )
        county = short_place(ctx.rng.choice(counties_of(HB_CITY_CODES[city]) or (city,)))
        kind = weighted(ctx.rng, HERITAGE_KINDS)
        suffix = {"古遗址": "遗址", "古墓葬": "墓群", "古建筑": ctx.rng.choice(("祠", "古民居", "寺", "塔", "古桥")), "石窟寺及石刻": "摩崖石刻", "近现代重要史迹及代表性建筑": ctx.rng.choice(("旧址", "纪念馆", "革命旧址"))}[kind]  # fmt: skip
        national = ctx.rng.random() < 0.18
        lon, lat = jitter(ctx.rng, CITIES["湖北省"][city], 30)
        rows.append([f"HBWB{seq:04d}", f"{county}{ctx.rng.choice(('城', '湾', '山', '岗', '家', '台', '冲'))}{suffix}", ctx.rng.choice(HERITAGE_AGES[kind]), kind,
                     "全国重点文物保护单位" if national else "省级文物保护单位", f"第{ctx.rng.randint(1, 8) if national else ctx.rng.randint(1, 9)}批", city, lon, lat])  # fmt: skip
    return Table(
        ["编号", "名称", "时代", "类别", "级别", "公布批次", "所在市州", "经度", "纬度"],
        rows,
        ctx.as_of,
        lon="经度",
        lat="纬度",
    )


# --------------------------------------------------------------------------- 北京

BJ_DISTRICT_CODES = dict(zip(DISTRICTS["北京市"], ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119"], strict=True))  # fmt: skip
BJ_INDUSTRIES = [
    "电力、热力生产和供应业",
    "汽车制造业",
    "医药制造业",
    "计算机、通信和其他电子设备制造业",
    "化学原料和化学制品制造业",
    "污水处理及其再生利用",
    "生活垃圾处理",
    "食品制造业",
]


def bj_polluters(ctx: Ctx) -> Table:
    names, rows = Names(ctx.rng), []
    year = ctx.as_of.year
    for _ in range(600):
        district = weighted(
            ctx.rng, {d: 1 if d in ("东城区", "西城区") else 3 for d in DISTRICTS["北京市"]}
        )
        industry = ctx.rng.choice(BJ_INDUSTRIES)
        rows.append([names.company("北京", ctx.rng.choice(("热力", "汽车", "制药", "电子", "化工", "水务", "环境", "食品"))), credit_code(ctx.rng, BJ_DISTRICT_CODES[district]),
                     district, "、".join(sorted(ctx.rng.sample(["水环境", "大气环境", "土壤污染", "噪声"], ctx.rng.randint(1, 3)))), industry, year])  # fmt: skip
    return Table(
        ["单位名称", "统一社会信用代码", "所在区", "重点类别", "行业类别", "年度"],
        rows,
        ctx.as_of,
        sheet="重点排污单位",
    )


BJ_STATIONS = {
    "东四": "东城区", "天坛": "东城区", "官园": "西城区", "万寿西宫": "西城区", "奥体中心": "朝阳区", "农展馆": "朝阳区", "万柳": "海淀区",
    "北部新区": "海淀区", "植物园": "海淀区", "丰台花园": "丰台区", "云岗": "丰台区", "古城": "石景山区", "房山": "房山区", "大兴": "大兴区",
    "亦庄": "大兴区", "通州": "通州区", "顺义": "顺义区", "昌平": "昌平区", "门头沟": "门头沟区", "平谷": "平谷区", "怀柔": "怀柔区",
    "密云": "密云区", "延庆": "延庆区", "定陵": "昌平区", "八达岭": "延庆区", "密云水库": "密云区", "东高村": "平谷区", "永乐店": "通州区",
    "榆垡": "大兴区", "琉璃河": "房山区", "前门": "东城区", "永定门内": "东城区", "西直门北": "西城区", "南三环": "丰台区", "东四环": "朝阳区",
}  # fmt: skip


def bj_air_daily(ctx: Ctx) -> Table:
    """35 stations × the last 365 days: a chartable year with winter pollution episodes."""
    rows = []
    days = days_back(ctx.as_of, 365)
    regional = [0.0]
    weather = {}
    for day in days:
        regional[0] = 0.75 * regional[0] + ctx.rng.gauss(0, 0.38)
        weather[day] = regional[0]
    for station, district in BJ_STATIONS.items():
        local = ctx.rng.uniform(0.85, 1.15) * (
            0.8 if station in ("定陵", "八达岭", "密云水库", "东高村") else 1.0
        )
        for day in days:
            pm25 = max(
                4.0,
                seasonal(day, mean=31, amplitude=12, peak_day=15)
                * local
                * math.exp(weather[day] + ctx.rng.gauss(0, 0.08)),
            )
            no2 = max(
                5.0,
                seasonal(day, mean=26, amplitude=10, peak_day=15)
                * local
                * math.exp(weather[day] / 2),
            )
            o3 = max(
                10.0,
                seasonal(day, mean=110, amplitude=70, peak_day=175)
                * math.exp(-weather[day] / 3 + ctx.rng.gauss(0, 0.1)),
            )
            index, primary = aqi({"PM2.5": pm25, "PM10": pm25 * 1.6, "NO2": no2, "O3": o3})
            rows.append(
                [day, station, district, index, aqi_level(index), primary, round(pm25), round(no2)]
            )
    rows.sort(key=lambda r: (r[0], list(BJ_STATIONS).index(r[1])))
    return Table(
        [
            "日期",
            "监测站点",
            "所在区",
            "空气质量指数",
            "空气质量级别",
            "首要污染物",
            "细颗粒物",
            "二氧化氮",
        ],
        rows,
        ctx.as_of,
    )


# --------------------------------------------------------------------------- 西藏、青海


def barley(ctx: Ctx) -> Table:
    rows = []
    weights = {
        "拉萨市": 1.3,
        "日喀则市": 3.0,
        "山南市": 1.4,
        "昌都市": 1.2,
        "林芝市": 0.5,
        "那曲市": 0.1,
        "阿里地区": 0.15,
    }
    for city, code in XZ_CITY_CODES.items():
        for county in counties_of(code):
            area0 = weights[city] * ctx.rng.uniform(0.6, 3.0)
            for year in range(ctx.as_of.year - 10, ctx.as_of.year):
                area = area0 * (1 + 0.012 * (year - 2016)) * ctx.rng.uniform(0.97, 1.03)
                yield_ = ctx.rng.uniform(300, 420) * (1 + 0.01 * (year - 2016))
                rows.append(
                    [year, city, county, dec(area, 2), dec(yield_, 1), dec(area * yield_ / 1000, 2)]
                )
    return Table(
        ["统计年度", "地市", "县区", "播种面积", "单产", "总产量"], rows, ctx.as_of, sheet="青稞"
    )


XZ_INDUSTRIES = {"青稞": ("万亩", 40, 0.36, 12), "牦牛": ("万头", 85, 0.9, 38), "藏系绵羊": ("万只", 120, 0.25, 14), "蔬菜": ("万亩", 5, 1.8, 9),
                 "饲草": ("万亩", 18, 0.6, 3), "藏药材": ("万亩", 1.5, 0.04, 6), "茶叶": ("万亩", 0.6, 0.02, 1.5)}  # fmt: skip


def tibet_industries(ctx: Ctx) -> Table:
    rows = []
    for year in range(ctx.as_of.year - 6, ctx.as_of.year):
        for city in XZ_CITY_CODES:
            share = {
                "日喀则市": 0.3,
                "那曲市": 0.2,
                "昌都市": 0.18,
                "拉萨市": 0.12,
                "山南市": 0.1,
                "林芝市": 0.06,
                "阿里地区": 0.04,
            }[city]
            for industry, (unit, scale, tonnes, value) in XZ_INDUSTRIES.items():
                if industry == "茶叶" and city != "林芝市":
                    continue
                growth = 1.04 ** (year - 2020) * ctx.rng.uniform(0.96, 1.04)
                rows.append(
                    [
                        year,
                        city,
                        industry,
                        dec(scale * share * growth, 2),
                        unit,
                        dec(scale * share * tonnes * growth, 2),
                        dec(value * share * growth, 2),
                    ]
                )
    return Table(
        ["年度", "地市", "产业", "规模", "规模单位", "产量", "产值"],
        rows,
        ctx.as_of,
        sheet="特色产业",
    )


QH_PROTECTED = [("三江源国家公园", "国家公园", "国家级", 190700, "玉树藏族自治州", "雪豹、藏羚羊、野牦牛及江河源头生态系统"),
                ("祁连山国家公园青海片区", "国家公园", "国家级", 15800, "海北藏族自治州", "雪豹、白唇鹿及冰川、森林、草原生态系统"),
                ("青海湖国家级自然保护区", "自然保护区", "国家级", 4952, "海南藏族自治州", "湖泊湿地及普氏原羚、候鸟"),
                ("可可西里国家级自然保护区", "自然保护区", "国家级", 45000, "玉树藏族自治州", "藏羚羊、野牦牛、藏野驴"),
                ("柴达木梭梭林国家级自然保护区", "自然保护区", "国家级", 3733, "海西蒙古族藏族自治州", "荒漠梭梭林生态系统"),
                ("孟达国家级自然保护区", "自然保护区", "国家级", 172, "海东市", "森林生态系统及天池"),
                ("隆宝国家级自然保护区", "自然保护区", "国家级", 100, "玉树藏族自治州", "黑颈鹤及高原湿地"),
                ("大通北川河源区国家级自然保护区", "自然保护区", "国家级", 1079, "西宁市", "森林及河源湿地")]  # fmt: skip


def qh_protected(ctx: Ctx) -> Table:
    areas = list(QH_PROTECTED)
    for city in CITIES["青海省"]:
        for kind in ("森林公园", "湿地公园", "地质公园"):
            areas.append((f"{city[:2]}{ctx.rng.choice(('北山', '南山', '河湖', '雪山', '峡谷', '草原'))}{kind}", "自然公园", ctx.rng.choice(("国家级", "省级")),
                          round(ctx.rng.uniform(20, 900)), city, {"森林公园": "森林景观及野生动植物", "湿地公园": "高原湿地及水鸟", "地质公园": "地质遗迹"}[kind]))  # fmt: skip
    rows = []
    for name, kind, level, km2, city, target in areas:
        lon, lat = jitter(ctx.rng, CITIES["青海省"][city], 40)
        rows.append([name, kind, level, dec(km2, 0), city, target, lon, lat])
    return Table(
        ["保护地名称", "保护地类型", "级别", "面积", "所在市州", "主要保护对象", "经度", "纬度"],
        rows,
        ctx.as_of,
        lon="经度",
        lat="纬度",
    )
