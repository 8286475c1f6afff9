"""Demo resources of holders in Sichuan, Shandong, Hubei, Beijing, Tibet and Qinghai (the
last two file on the national platform) and of central bodies."""

from registry.demo.spec import Spec

# fmt: off
PROVINCES: list[Spec] = [
    # 四川
    Spec(
        "sc_agri", "resource", "四川省高标准农田建设项目数据", "A", "农业农村",
        "yearly", "SHP XLSX", "general:2", "conditional", "approved",
        summary="全省高标准农田建设项目的立项、建设内容、建成面积及地块空间范围。",
        items="项目编号 code 项目编号; 项目名称 string 项目名称; 所在县 string 县区; "
        "建设面积 decimal 亩; 总投资 decimal 万元; 竣工年份 integer 年份; 地块范围 geometry 地块边界",
        operation=True,
    ),
    Spec(
        "sc_agri", "open_resource", "四川省农产品批发市场价格数据", "F", "农产品流通",
        "daily", "CSV API", "general:1", "unconditional", "expiring",
        summary="全省重点农产品批发市场蔬菜、水果、畜禽产品的每日批发价格。",
        items="市场名称 string 批发市场; 品种 string 农产品品种; 规格 string 规格等级; "
        "最低价 decimal 元/公斤; 最高价 decimal 元/公斤; 平均价 decimal 元/公斤; 价格日期 date 日期",
    ),
    Spec(
        "cd_metro", "resource", "成都地铁线网运营数据", "G", "轨道交通",
        "daily", "CSV API", "general:2", "conditional", "approved",
        summary="成都地铁各线路开行列次、准点率、运营里程及客运量。",
        items="运营日期 date 日期; 线路 string 线路名称; 开行列次 integer 列; 准点率 decimal "
        "百分比; 运营里程 decimal 车公里; 客运量 integer 人次",
        operation=True,
    ),
    Spec(
        "cd_metro", "resource", "成都轨道交通乘客刷卡明细数据", "G", "轨道交通",
        "daily", "DATABASE", "important", "not_open", "returned",
        summary="成都地铁乘客进出站刷卡和扫码过闸明细记录。",
        items="交易流水号 code 过闸交易流水号; 卡号 code 乘车卡号或虚拟卡号; 进站站点 string 车站; "
        "进站时间 datetime 时间; 出站站点 string 车站; 出站时间 datetime 时间; 票价 decimal 元",
        personal=True,
        notes=(
            "数据项“卡号”未说明脱敏处理方式，且安全级别定级依据未在说明文档中载明，请补充后重新"
            "提交。",
        ),
    ),
    # 山东
    Spec(
        "sd_medsec", "resource", "山东省医保药品目录及支付标准", "Q", "医疗保障",
        "irregular", "XLSX CSV", "general:1", "unconditional", "expired",
        summary="山东省基本医疗保险药品目录、医保支付类别及支付标准。",
        items="药品编码 code 国家医保药品编码; 通用名称 string 药品通用名; 剂型 string 剂型; "
        "医保类别 code 甲类、乙类; 支付标准 decimal 元; 备注 text 限定支付范围",
    ),
    Spec(
        "sd_medsec", "resource", "山东省医保参保人员结算明细", "S", "医疗保障",
        "daily", "DATABASE", "important", "not_open", "approved",
        summary="全省职工医保、居民医保参保人员门诊和住院结算明细。",
        items="结算流水号 code 结算流水号; 参保人标识 code 脱敏后的参保人标识; 险种 code 职工、"
        "居民; 就诊类型 code 门诊、住院; 结算日期 date 日期; 医疗总费用 decimal 元; "
        "统筹基金支付 decimal 元",
        personal=True, records=96_000_000,
    ),
    Spec(
        "qd_ocean", "open_resource", "青岛市近岸海域水质监测数据", "N", "海洋生态",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="青岛市近岸海域国控、省控监测点位的海水水质监测结果。",
        items="点位编号 code 监测点位编号; 海域 string 所在海域; 监测日期 date 日期; "
        "水质类别 code 第一类至劣四类; 无机氮 decimal 毫克/升; 活性磷酸盐 decimal 毫克/升; "
        "化学需氧量 decimal 毫克/升",
    ),
    # 湖北
    Spec(
        "wh_water", "resource", "武汉市城市内涝监测预警数据", "N", "防汛排涝",
        "realtime", "API", "general:2", "conditional", "approved",
        summary="武汉市易渍水点、下穿通道和泵站的实时水位、雨量及预警信息。",
        items="监测点编号 code 监测点编号; 监测点名称 string 名称; 积水深度 decimal 厘米; "
        "小时雨量 decimal 毫米; 预警等级 code 蓝、黄、橙、红; 监测时间 datetime 时间",
        operation=True,
    ),
    Spec(
        "hb_tourism", "open_resource", "湖北省A级旅游景区名录", "R", "文化旅游",
        "quarterly", "CSV JSON", "general:1", "unconditional", "approved+change",
        summary="全省A级旅游景区的名称、等级、地址、开放时间及咨询电话。",
        items="景区名称 string 景区名称; 景区等级 code 1A至5A; 所在市州 string 市州; "
        "地址 string 地址; 开放时间 string 开放时间; 咨询电话 string 电话; 评定日期 date 日期",
        records=436,
    ),
    Spec(
        "hb_tourism", "resource", "湖北省旅游景区客流统计数据", "R", "文化旅游",
        "daily", "API", "general:2", "conditional", "approved",
        summary="全省重点旅游景区每日接待游客量和节假日瞬时客流。",
        items="景区名称 string 景区名称; 统计日期 date 日期; 接待游客量 integer 人次; "
        "瞬时客流 integer 人; 最大承载量 integer 人; 舒适度 code 舒适、较舒适、拥挤",
        operation=True,
    ),
    # 北京
    Spec(
        "bj_ecology", "open_resource", "北京市重点排污单位名录", "N", "生态环境",
        "yearly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="北京市年度水环境、大气环境、土壤环境重点排污单位名录。",
        items="单位名称 string 排污单位名称; 统一社会信用代码 code 单位代码; 所在区 string 区; "
        "重点类别 code 水、大气、土壤、噪声; 行业类别 string 所属行业; 年度 integer 名录年度",
    ),
    # 西藏、青海：省级平台尚未上线，在国家平台登记
    Spec(
        "xz_agri", "resource", "西藏自治区草原生态保护补助奖励数据", "A", "草原生态",
        "yearly", "XLSX", "general:3", "not_open", "under_review:overdue",
        summary="全区草原禁牧补助和草畜平衡奖励的发放对象、面积及金额。",
        items="县区 string 县区; 乡镇 string 乡镇; 牧户标识 code 脱敏后的牧户标识; "
        "禁牧面积 decimal 亩; 草畜平衡面积 decimal 亩; 补奖金额 decimal 元; 发放年度 integer 年度",
        personal=True,
    ),
    Spec(
        "xz_agri", "open_resource", "西藏自治区青稞种植面积统计数据", "A", "农业农村",
        "yearly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="全区各地市、县区青稞播种面积、单产和总产量统计。",
        items="统计年度 integer 年度; 地市 string 地市; 县区 string 县区; 播种面积 decimal 万亩; "
        "单产 decimal 公斤/亩; 总产量 decimal 万吨",
        records=980,
    ),
    Spec(
        "qh_forestry", "resource", "青海省国家公园生态监测数据", "N", "自然保护地",
        "monthly", "CSV API", "general:2", "conditional", "notice",
        summary="三江源、祁连山国家公园青海片区的植被覆盖、野生动物和水源涵养监测数据。",
        items="监测样地 code 样地编号; 监测类型 code 植被、野生动物、水文; 监测日期 date 日期; "
        "植被覆盖度 decimal 百分比; 物种名称 string 物种; 个体数量 integer 只; 位置 geometry 样地位置",
        operation=True,
    ),
    Spec(
        "qh_forestry", "open_resource", "青海省野生动物疫源疫病监测站点名录", "N", "野生动物保护",
        "irregular", "CSV", "general:1", "unconditional", "submitted:overdue",
        summary="全省国家级和省级陆生野生动物疫源疫病监测站的名称、级别和监测范围。",
        items="监测站名称 string 名称; 级别 code 国家级、省级; 所在县 string 县区; "
        "监测范围 text 监测区域说明; 联系电话 string 电话",
        records=64,
    ),
]

CENTRAL: list[Spec] = [
    Spec(
        "nbs", "resource", "全国居民消费价格指数月度数据", "S", "统计调查",
        "monthly", "CSV XLSX API", "general:1", "unconditional", "approved+change+correction",
        summary="全国及分地区居民消费价格指数(CPI)，含八大类商品和服务分类指数。",
        items="统计月份 date 月份; 地区 string 全国或省份; 指标 code 总指数及分类指数; "
        "同比指数 decimal 上年同月=100; 环比指数 decimal 上月=100; 定基指数 decimal 基期=100",
        coverage=("000000",), source="国家统计局统计数据库",
    ),
    Spec(
        "nbs", "open_resource", "国家统计年鉴主要指标数据", "S", "统计调查",
        "yearly", "XLSX CSV", "general:1", "unconditional", "approved",
        summary="《中国统计年鉴》国民经济核算、人口、就业、价格等主要指标的年度数据。",
        items="指标代码 code 指标代码; 指标名称 string 指标名称; 年度 integer 年度; 地区 string "
        "地区; 数值 decimal 指标值; 计量单位 string 单位",
        coverage=("000000",),
    ),
    Spec(
        "nbs", "resource", "全国规模以上工业企业生产经营数据", "C", "统计调查",
        "monthly", "DATABASE", "important", "not_open", "under_review",
        summary="规模以上工业企业联网直报的产值、营业收入、利润和用工数据。",
        items="企业代码 code 统一社会信用代码; 行业代码 code GB/T 4754小类; 工业总产值 decimal "
        "万元; 营业收入 decimal 万元; 利润总额 decimal 万元; 从业人员 integer 人; 报告期 date 月份",
        secret=True, coverage=("000000",), source="统计联网直报平台",
    ),
    Spec(
        "mwr_info", "resource", "全国重要江河湖泊水情实时数据", "N", "水文水情",
        "realtime", "API", "important", "conditional", "approved+change:notice",
        summary="全国大江大河及重要湖泊、水库的报汛站水位、流量和蓄水量实时数据。",
        items="测站编码 code 水文测站编码; 测站名称 string 名称; 河流 string 所在河流; "
        "水位 decimal 米; 流量 decimal 立方米/秒; 警戒水位 decimal 米; 观测时间 datetime 时间",
        operation=True, coverage=("000000",), source="国家防汛抗旱指挥系统",
    ),
    Spec(
        "mwr_info", "open_resource", "第一次全国水利普查成果数据", "N", "水利普查",
        "irregular", "CSV SHP", "general:1", "unconditional", "approved",
        summary="全国水利普查河湖基本情况、水利工程基本情况和经济社会用水情况成果。",
        items="对象编码 code 普查对象编码; 对象类型 code 河流、湖泊、水库、水闸等; 名称 string "
        "名称; 所在省份 string 省份; 规模指标 decimal 长度、面积或库容; 位置 geometry 空间位置",
        coverage=("000000",),
    ),
    Spec(
        "cma_service", "resource", "全国城市天气预报产品数据", "M", "气象服务",
        "daily", "API JSON", "general:1", "unconditional", "approved+change:review",
        summary="全国地级以上城市未来7天逐日天气预报及逐3小时精细化预报产品。",
        items="城市代码 code 区站号; 城市名称 string 城市; 预报时间 datetime 起报时间; "
        "天气现象 code 晴、多云、雨等; 最高气温 decimal 摄氏度; 最低气温 decimal 摄氏度; "
        "风向风力 string 风向及等级",
        operation=True, coverage=("000000",),
    ),
    Spec(
        "cma_service", "open_resource", "全国地面气象站逐日观测数据", "M", "气象服务",
        "daily", "CSV", "general:1", "unconditional", "expiring",
        summary="全国国家级地面气象观测站逐日气温、降水、风速和日照观测资料。",
        items="区站号 code 台站编号; 观测日期 date 日期; 平均气温 decimal 摄氏度; "
        "降水量 decimal 毫米; 平均风速 decimal 米/秒; 日照时数 decimal 小时",
        coverage=("000000",),
    ),
    Spec(
        "nhsa", "resource", "国家医保信息业务编码标准数据库", "S", "医疗保障",
        "irregular", "XLSX API", "general:1", "unconditional", "approved",
        summary="医保疾病诊断、手术操作、医疗服务项目、药品和医用耗材等15项信息业务编码。",
        items="编码类别 code 15项编码之一; 编码 code 医保编码; 名称 string 名称; "
        "规格 string 规格或说明; 启用日期 date 日期; 状态 code 有效、停用",
        coverage=("000000",),
    ),
    Spec(
        "nhsa", "resource", "全国医保定点医疗机构结算汇总数据", "S", "医疗保障",
        "monthly", "DATABASE", "important", "conditional", "supplement",
        summary="按省份和机构级别汇总的医保定点医疗机构月度结算人次、费用和基金支付。",
        items="统计月份 date 月份; 省份 string 省份; 机构级别 code 一级、二级、三级; "
        "结算人次 integer 人次; 医疗总费用 decimal 万元; 基金支付 decimal 万元",
        operation=True, coverage=("000000",),
        notes=(
            "security_grade|定为“重要数据”但未附数据分类分级评估报告，请补充。",
            "attachments|数据资源说明文档缺少字段口径说明，请补充完整的数据字典。",
        ),
    ),
    Spec(
        "nhsa", "resource", "长期护理保险试点待遇享受数据", "S", "医疗保障",
        "monthly", "DATABASE", "important", "not_open", "draft",
        summary="长期护理保险试点城市失能人员评估和待遇享受情况。",
        items="试点城市 string 城市; 失能等级 code 轻度、中度、重度; 服务方式 code 居家、机构; "
        "享受人数 integer 人; 基金支付 decimal 万元",
        personal=True, coverage=("000000",),
    ),
]
# fmt: on
