"""Demo resources of Zhejiang, Jiangsu, Shanghai and Fujian holders."""

from registry.demo.spec import Spec

# fmt: off
EAST: list[Spec] = [
    Spec(
        "zj_market", "resource", "浙江省企业信用信息", "S", "信用监管",
        "daily", "API CSV", "general:2", "conditional", "approved+change",
        summary="全省企业信用等级、行政处罚、经营异常名录和严重违法失信名单等信用监管信息。",
        items="统一社会信用代码 code 企业代码; 企业名称 string 企业名称; 信用等级 code A、B、C、D; "
        "行政处罚记录数 integer 近三年行政处罚次数; 经营异常标识 boolean 是否列入经营异常名录; "
        "严重违法失信标识 boolean 是否列入严重违法失信名单; 更新日期 date 信用信息更新日期",
        operation=True, records=9_300_000, source="浙江省市场监管信用监管平台",
    ),
    Spec(
        "zj_market", "open_resource", "浙江省特种设备使用登记信息", "C", "特种设备",
        "monthly", "CSV JSON", "general:1", "unconditional", "approved",
        summary="全省电梯、锅炉、压力容器等特种设备的使用登记及定期检验信息。",
        items="设备注册代码 code 特种设备注册代码; 设备类别 code 电梯、锅炉、压力容器等; "
        "使用单位 string 使用单位名称; 设备地址 string 设备所在地址; 登记日期 date 使用登记日期; "
        "下次检验日期 date 下次定期检验日期",
    ),
    Spec(
        "zj_market", "resource", "浙江省12315消费投诉举报数据", "F", "消费维权",
        "daily", "CSV API", "general:3", "conditional", "notice:objection",
        summary="全省12315平台受理的消费投诉举报的商品服务类别、问题类型和处理结果，用于消费"
        "警示和统计分析。",
        items="投诉编号 code 投诉举报编号; 被投诉主体 string 经营者名称; 商品服务类别 code "
        "消费投诉分类; 问题类型 code 质量、价格、合同、售后等; 受理日期 date 受理日期; "
        "处理结果 code 调解成功、终止调解等; 投诉人联系方式 string 脱敏后的联系方式",
        personal=True,
        consent="投诉人在提交投诉时已勾选同意投诉内容经脱敏后用于消费警示及统计分析。",
        notes=(
            "公示的数据项包含“投诉人联系方式”，虽称已脱敏，但未说明脱敏规则，开放后可能泄露"
            "个人信息，请审核。",
        ),
    ),
    Spec(
        "zj_market", "resource", "浙江省计量器具强制检定数据", "M", "计量",
        "monthly", "XLSX", "general:1", "conditional", "not_accepted",
        summary="全省列入强制检定目录的工作计量器具检定结果。",
        items="器具编号 code 计量器具出厂编号; 器具名称 string 器具名称; 使用单位 string 使用单位; "
        "检定结论 code 合格、不合格; 检定日期 date 检定日期; 检定机构 string 检定机构名称",
        notes=(
            "该数据由浙江省计量科学研究院持有并已由其提交登记，申请单位不是数据持有单位，"
            "不予受理。",
        ),
    ),
    Spec(
        "zj_edu", "resource", "浙江省中小学校基本信息", "P", "基础教育",
        "yearly", "XLSX CSV", "general:1", "unconditional", "approved",
        summary="全省中小学校的办学类型、举办者、在校生数及专任教师数等基本情况。",
        items="学校标识码 code 教育部学校标识码; 学校名称 string 学校名称; 办学类型 code 小学、"
        "初中、九年一贯制等; 举办者类型 code 公办、民办; 所在区县 string 区县名称; "
        "在校生数 integer 人; 专任教师数 integer 人; 学校地址 string 地址",
        records=11_200,
    ),
    Spec(
        "zj_edu", "resource", "浙江省中小学生学籍数据", "P", "基础教育",
        "daily", "DATABASE", "important", "not_open", "returned:objection",
        summary="全省中小学生学籍注册、转学、休学、毕业等学籍变动信息。",
        items="学籍号 code 全国学籍号; 学生姓名 string 姓名; 学校标识码 code 就读学校; "
        "年级 code 年级; 学籍状态 code 在读、休学、转出、毕业; 变动日期 date 最近变动日期",
        personal=True, records=8_100_000, source="浙江省中小学生学籍管理系统",
        notes=(
            "公示的覆盖范围为全省，但民办学校的学籍数据由其举办者自行管理，覆盖范围与实际不符。",
            "经核实，公示内容的覆盖范围表述不准确，异议成立，退回申请单位修改后重新提交。",
        ),
    ),
    Spec(
        "hz_water", "resource", "杭州市供水管网压力监测数据", "D", "城市供水",
        "realtime", "API", "important", "conditional", "approved",
        summary="杭州市主城区供水管网压力监测点的实时压力、流量及告警信息。",
        items="监测点编号 code 压力监测点编号; 所属管网 string 供水分区; 压力值 decimal 兆帕; "
        "瞬时流量 decimal 立方米/小时; 采集时间 datetime 采样时间; 告警标识 boolean 是否越限",
        operation=True, source="杭州水务SCADA系统",
    ),
    Spec(
        "hz_water", "resource", "杭州市居民用水量统计数据", "D", "城市供水",
        "monthly", "CSV XLSX", "general:2", "conditional", "approved+correction",
        summary="按区、按用水性质汇总的月度用水量和用户数，不含单户明细。",
        items="统计月份 date 统计月份; 行政区 string 区县; 用水性质 code 居民、非居民、特种; "
        "用水量 decimal 万立方米; 用户数 integer 户; 同比增长率 decimal 百分比",
        operation=True,
    ),
    Spec(
        "hz_water", "open_resource", "杭州市出厂水水质公告数据", "D", "城市供水",
        "monthly", "CSV PDF", "general:1", "unconditional", "submitted",
        summary="杭州市各水厂出厂水主要水质指标的月度检测结果。",
        items="水厂名称 string 水厂名称; 检测日期 date 采样日期; 浑浊度 decimal NTU; "
        "游离余氯 decimal 毫克/升; 菌落总数 integer CFU/毫升; 是否达标 boolean 是否符合GB 5749",
        records=1_560,
    ),
    Spec(
        "hz_transport", "resource", "杭州市公共自行车租还记录", "G", "绿色出行",
        "realtime", "API CSV", "general:3", "conditional", "under_review",
        summary="杭州市公共自行车各服务点的借还车记录，借车人卡号已做不可逆脱敏。",
        items="记录编号 code 借还记录编号; 借车卡号 code 不可逆脱敏后的卡号; 借车站点 string "
        "服务点名称; 借车时间 datetime 借车时间; 还车站点 string 服务点名称; 还车时间 datetime "
        "还车时间; 骑行时长 integer 分钟",
        personal=True, operation=True,
        consent="借车人卡号经不可逆脱敏处理，开放前已依据用户服务协议取得授权同意。",
    ),
    Spec(
        "hz_transport", "open_resource", "杭州市出租汽车运价信息", "G", "交通出行",
        "irregular", "CSV JSON", "general:1", "unconditional", "approved",
        summary="杭州市巡游出租汽车起步价、里程价、候时费及夜间附加费标准。",
        items="车型 code 巡游车类别; 起步价 decimal 元; 起步里程 decimal 公里; 里程单价 decimal "
        "元/公里; 候时费 decimal 元/5分钟; 夜间附加 string 夜间加价规则; 执行日期 date 执行日期",
        records=24,
    ),
    Spec(
        "nb_port", "resource", "宁波舟山港船舶进出港动态数据", "G", "港航物流",
        "realtime", "API", "important", "conditional", "approved",
        summary="宁波舟山港船舶进出港申报、靠离泊和锚地动态信息。",
        items="船舶识别号 code IMO或MMSI编号; 船名 string 中英文船名; 船舶类型 code 集装箱船、"
        "散货船、油轮等; 进出港标识 code 进港、出港; 泊位 string 靠泊泊位; 动态时间 datetime "
        "实际时间; 载货量 decimal 吨",
        operation=True, source="宁波舟山港港航综合信息平台",
    ),
    Spec(
        "nb_port", "resource", "宁波市内河航道通航条件数据", "G", "港航物流",
        "weekly", "CSV", "general:1", "unconditional", "draft",
        summary="宁波市内河航道等级、通航水深、桥梁净空及碍航情况。",
        items="航道名称 string 航道名称; 航道等级 code 三级至七级; 通航水深 decimal 米; "
        "桥梁净空 decimal 米; 碍航情况 text 碍航物或施工说明; 发布日期 date 发布日期",
    ),
    Spec(
        "wz_medsec", "resource", "温州市医保定点医药机构信息", "Q", "医疗保障",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="温州市医保定点医疗机构和定点零售药店名单及其服务范围。",
        items="机构编码 code 国家医保机构编码; 机构名称 string 定点机构名称; 机构类型 code "
        "医疗机构、零售药店; 所在区县 string 区县; 地址 string 地址; 协议有效期至 date 有效期",
    ),
    Spec(
        "wz_medsec", "resource", "温州市医保基金结算明细数据", "S", "医疗保障",
        "daily", "DATABASE", "important", "not_open", "rejected",
        summary="温州市医保基金门诊、住院结算明细。",
        items="结算流水号 code 结算流水号; 参保人标识 code 脱敏后的参保人标识; 定点机构编码 code "
        "医保机构编码; 结算日期 date 结算日期; 医疗总费用 decimal 元; 基金支付金额 decimal 元",
        personal=True,
        notes=(
            "申请登记的数据与浙江省医疗保障局已登记的全省医保结算数据重复，且未说明两者差异，"
            "形式审核不通过。",
        ),
    ),
    Spec(
        "hz_dataops", "product", "城市停车诱导数据服务", "G", "智慧交通",
        "realtime", "API", "general:2", "conditional", "approved",
        summary="汇聚杭州市公共停车场和路内泊位空闲数据，提供停车诱导和泊位预测接口。",
        items="停车场编号 code 停车场编号; 停车场名称 string 名称; 总泊位数 integer 个; "
        "空闲泊位数 integer 个; 预测空闲泊位 integer 30分钟后预测值; 更新时间 datetime 更新时间",
        operation=True, source="杭州市公共数据授权运营平台",
    ),
    Spec(
        "hz_dataops", "product", "小微企业用水用电景气指数", "L", "经济运行",
        "monthly", "API XLSX", "general:2", "conditional", "withdrawn",
        summary="基于授权的水电用量数据编制的小微企业景气指数，按区和行业发布。",
        items="统计月份 date 统计月份; 行政区 string 区县; 行业门类 code GB/T 4754门类; "
        "景气指数 decimal 基期为100; 环比变化 decimal 百分点",
        operation=True,
        notes=("产品方案需与实施机构重新确认授权范围，撤回后重新申请。",),
    ),
    # 江苏
    Spec(
        "js_resources", "resource", "江苏省基础测绘成果数据", "M", "测绘地理信息",
        "irregular", "SHP DATABASE", "important", "not_open", "approved",
        summary="全省1:10000基础地理信息数据库，含水系、居民地、交通、境界、地形等要素。",
        items="要素编号 code 要素唯一编号; 要素类别 code 基础地理信息要素分类; 要素名称 string "
        "名称; 几何 geometry 要素几何(CGCS2000); 更新日期 date 要素更新时间",
        source="江苏省基础地理信息数据库",
    ),
    Spec(
        "js_resources", "open_resource", "江苏省地质灾害隐患点分布数据", "N", "防灾减灾",
        "yearly", "GeoJSON CSV", "general:1", "unconditional", "approved",
        summary="全省在册地质灾害隐患点的类型、规模、威胁对象及防治责任单位。",
        items="隐患点编号 code 隐患点编号; 灾害类型 code 滑坡、崩塌、泥石流、地面塌陷; "
        "规模等级 code 小型至特大型; 威胁人数 integer 人; 所在县区 string 县区; "
        "位置 geometry 隐患点位置; 责任单位 string 防治责任单位",
    ),
    Spec(
        "nj_transport", "resource", "南京市地铁客流统计数据", "G", "轨道交通",
        "daily", "CSV API", "general:2", "conditional", "approved+change",
        summary="南京地铁各线路、各车站日进出站客流及换乘量统计。",
        items="统计日期 date 日期; 线路 string 线路名称; 车站 string 车站名称; 进站量 integer "
        "人次; 出站量 integer 人次; 换乘量 integer 人次",
        operation=True,
    ),
    Spec(
        "sz_gas", "resource", "苏州市管道燃气用户用气量数据", "D", "城市燃气",
        "monthly", "DATABASE", "general:3", "not_open", "approved+deregistration",
        summary="苏州市管道燃气居民和工商户的月度用气量。",
        items="用户编号 code 燃气用户编号; 用户类别 code 居民、工商; 所在街道 string 街道; "
        "用气月份 date 月份; 用气量 decimal 立方米; 抄表方式 code 人工、远传",
        personal=True,
        notes=("用气量数据已按市统一部署并入“苏州市公用事业用能数据”登记，本登记申请注销。",),
    ),
    # 上海
    Spec(
        "sh_housing", "resource", "上海市商品房网签备案数据", "K", "房地产市场",
        "daily", "DATABASE API", "important", "conditional", "approved",
        summary="上海市新建商品房和存量房网签备案的套数、面积和成交价格汇总。",
        items="备案日期 date 网签备案日期; 区 string 行政区; 房屋类型 code 新建商品房、存量房; "
        "成交套数 integer 套; 成交面积 decimal 平方米; 成交均价 decimal 元/平方米",
        source="上海市房屋状况信息系统",
    ),
    Spec(
        "sh_housing", "resource", "上海市住房租赁合同备案数据", "K", "住房租赁",
        "daily", "DATABASE", "important", "not_open", "not_accepted",
        summary="上海市住房租赁合同网签备案信息。",
        items="合同编号 code 备案合同编号; 出租人 string 出租人; 承租人 string 承租人; "
        "房屋坐落 string 地址; 租金 decimal 元/月; 租期起 date 起始日期; 租期止 date 截止日期",
        personal=True,
        notes=("该数据已纳入“上海市商品房网签备案数据”一并登记，属重复申请，不予受理。",),
    ),
    Spec(
        "sh_housing", "open_resource", "上海市建筑工地扬尘在线监测数据", "E", "建设工程",
        "realtime", "API CSV", "general:1", "unconditional", "approved",
        summary="全市在建工地扬尘在线监测设备的颗粒物浓度、噪声及气象参数。",
        items="工地编号 code 工地编号; 工程名称 string 工程名称; 颗粒物浓度 decimal 微克/立方米; "
        "噪声 decimal 分贝; 风速 decimal 米/秒; 监测时间 datetime 时间",
    ),
    # 福建
    Spec(
        "fj_forestry", "resource", "福建省森林资源管理一张图数据", "A", "林业资源",
        "yearly", "SHP", "important", "not_open", "approved",
        summary="全省森林资源小班矢量数据，含地类、林种、起源、蓄积量等调查因子。",
        items="小班号 code 森林资源小班编号; 地类 code 林地分类; 林种 code 防护林、用材林等; "
        "起源 code 天然、人工; 蓄积量 decimal 立方米; 小班范围 geometry 小班边界",
    ),
    Spec(
        "xm_bus", "resource", "厦门市公交车辆实时位置数据", "G", "公交运营",
        "realtime", "API", "general:2", "conditional", "approved",
        summary="厦门市公交车辆GPS实时位置、速度和到站信息，用于实时公交查询。",
        items="车辆编号 code 车辆自编号; 线路编号 code 运营线路; 经度 decimal 经度; 纬度 decimal "
        "纬度; 速度 decimal 公里/小时; 下一站 string 下一站名称; 定位时间 datetime 定位时间",
        operation=True,
    ),
]
# fmt: on
