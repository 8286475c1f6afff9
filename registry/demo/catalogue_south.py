"""Demo resources of Guangdong holders and operators (广东省平台)."""

from registry.demo.spec import Spec

# fmt: off
GUANGDONG: list[Spec] = [
    Spec(
        "gd_transport", "resource", "广东省道路运输经营许可信息", "G", "交通运输",
        "daily", "CSV API", "general:2", "unconditional", "approved+change",
        summary="全省道路旅客运输、道路货物运输经营许可证的核发、变更、注销信息，含经营者名称、"
        "许可证号、经营范围及有效期，支撑跨部门业务协同和社会查询。",
        items="许可证号 code 道路运输经营许可证编号; 经营者名称 string 持证经营者全称; "
        "统一社会信用代码 code 经营者的18位统一社会信用代码; 经营范围 text 核定的道路运输经营范围; "
        "发证日期 date 许可证核发日期; 有效期至 date 许可证有效期截止日期; "
        "发证机关 string 核发许可的交通运输主管部门",
        operation=True, source="广东省道路运政管理信息系统",
    ),
    Spec(
        "gd_transport", "resource", "广东省高速公路路况实时数据", "G", "交通出行",
        "realtime", "JSON API", "general:2", "conditional", "notice",
        summary="全省高速公路拥堵、施工、交通管制及事故事件的实时信息，按路段和收费站汇聚，"
        "每分钟更新。",
        items="事件编号 code 路况事件唯一编号; 路段名称 string 高速公路路段名称; "
        "事件类型 code 拥堵、施工、管制、事故; 开始时间 datetime 事件开始时间; "
        "预计结束时间 datetime 预计恢复通行时间; 位置坐标 geometry 事件发生位置(WGS84); "
        "影响车道 string 受影响车道说明",
        operation=True, source="广东省高速公路联网收费及路网监测系统",
    ),
    Spec(
        "gd_transport", "open_resource", "广东省公路客运站点名录", "G", "交通出行",
        "quarterly", "CSV XLSX JSON", "general:1", "unconditional", "approved",
        summary="全省二级及以上公路客运站的名称、等级、地址、经纬度及咨询电话。",
        items="站点名称 string 客运站名称; 站点等级 code 一级至五级; 所在地市 string 地级市名称; "
        "详细地址 string 客运站地址; 咨询电话 string 对外服务电话; 经度 decimal WGS84经度; "
        "纬度 decimal WGS84纬度",
        records=412,
    ),
    Spec(
        "gd_market", "resource", "广东省市场主体登记信息", "S", "市场监管",
        "daily", "CSV API", "general:2", "conditional", "approved+change+correction",
        summary="全省各类市场主体设立、变更、注销登记信息，含主体名称、类型、法定代表人、"
        "注册资本、经营范围及登记状态。",
        items="统一社会信用代码 code 市场主体统一社会信用代码; 主体名称 string 市场主体名称; "
        "主体类型 code 有限责任公司、个体工商户等; 法定代表人 string 法定代表人或负责人姓名; "
        "注册资本 decimal 单位：万元; 成立日期 date 营业执照签发日期; 登记机关 string 登记管辖机关; "
        "经营范围 text 登记的经营范围; 登记状态 code 存续、注销、吊销",
        personal=True, operation=True, records=18_600_000,
        consent="法定代表人姓名依据《市场主体登记管理条例》依法公示，开放前已履行告知程序。",
        source="广东省市场主体登记注册系统",
    ),
    Spec(
        "gd_market", "open_resource", "广东省食品生产许可获证企业名录", "C", "食品安全",
        "weekly", "CSV JSON API", "general:1", "unconditional", "approved",
        summary="全省食品生产许可证获证企业名称、许可证编号、食品类别、生产地址及有效期。",
        items="许可证编号 code SC开头的食品生产许可证编号; 企业名称 string 生产者名称; "
        "统一社会信用代码 code 生产者统一社会信用代码; 生产地址 string 生产场所地址; "
        "食品类别 string 获证食品类别; 发证日期 date 发证日期; 有效期至 date 有效期截止日期",
    ),
    Spec(
        "gd_market", "resource", "广东省产品质量监督抽查结果", "C", "质量监管",
        "monthly", "XLSX CSV", "general:1", "unconditional", "under_review:overdue",
        summary="省级产品质量监督抽查的产品名称、生产企业、规格型号、检验结论及不合格项目。",
        items="抽查批次 code 抽查任务批次号; 产品名称 string 被抽查产品名称; "
        "生产企业 string 标称生产企业; 规格型号 string 产品规格型号; 检验结论 code 合格、不合格; "
        "不合格项目 text 不合格项目及标准要求; 抽样日期 date 抽样日期",
    ),
    Spec(
        "gd_ecology", "resource", "广东省重点排污单位自动监测数据", "N", "生态环境",
        "realtime", "API JSON", "general:2", "conditional", "approved",
        summary="全省重点排污单位废水、废气排放口在线监测数据，含监测因子、监测值和排放限值。",
        items="排污单位名称 string 重点排污单位名称; 统一社会信用代码 code 排污单位代码; "
        "排放口编号 code 排污许可证载明的排放口编号; 监测因子 code 化学需氧量、氨氮、二氧化硫等; "
        "监测值 decimal 小时均值; 排放限值 decimal 许可排放浓度限值; 监测时间 datetime 数据时间; "
        "是否超标 boolean 监测值是否超过限值",
        operation=True, source="广东省污染源自动监控系统",
    ),
    Spec(
        "gd_ecology", "open_resource", "广东省空气质量小时监测数据", "N", "生态环境",
        "realtime", "CSV JSON API", "general:1", "unconditional", "approved",
        summary="全省国控、省控空气质量自动监测站点逐小时监测数据及空气质量指数。",
        items="监测站点 string 站点名称; 城市 string 所在城市; 监测时间 datetime 整点时间; "
        "空气质量指数 integer AQI; 细颗粒物浓度 decimal PM2.5，微克/立方米; "
        "可吸入颗粒物浓度 decimal PM10，微克/立方米; 臭氧浓度 decimal 微克/立方米; "
        "首要污染物 string 首要污染物名称",
    ),
    Spec(
        "gd_ecology", "resource", "广东省建设项目环境影响评价审批信息", "N", "环评审批",
        "weekly", "CSV XLSX", "general:1", "unconditional", "supplement",
        summary="省、市两级生态环境部门建设项目环境影响评价文件审批结果信息。",
        items="项目名称 string 建设项目名称; 建设单位 string 建设单位名称; 建设地点 string 项目地址; "
        "环评类别 code 报告书、报告表; 审批文号 string 批复文号; 审批日期 date 批复日期; "
        "审批部门 string 审批的生态环境部门",
        notes=(
            "data_items|数据项“审批文号”未说明编码规则，请在数据资源说明文档中补充数据字典。",
            "attachments|登记承诺书未加盖单位公章，请上传盖章后的扫描件。",
            "update_frequency|更新频率填写为“每周”，与来源系统实际同步周期（每日）不一致，请核实。",
        ),
    ),
    Spec(
        "gz_planning", "resource", "广州市国土空间规划“一张图”数据", "M", "自然资源",
        "irregular", "SHP GeoJSON", "important", "not_open", "approved",
        summary="广州市国土空间总体规划、详细规划的规划分区、用地性质、控制指标等矢量数据。",
        items="图斑编号 code 规划图斑唯一编号; 规划分区 string 规划分区名称; "
        "用地性质 code 国土空间调查、规划、用途管制用地用海分类; 用地面积 decimal 平方米; "
        "容积率 decimal 控制性指标; 几何范围 geometry 图斑边界(CGCS2000); 批复文号 string 规划批复文号",
        agent=True, source="广州市国土空间基础信息平台",
    ),
    Spec(
        "gz_planning", "resource", "广州市不动产登记簿信息", "K", "不动产登记",
        "daily", "DATABASE", "important", "not_open", "submitted",
        summary="广州市不动产登记簿记载的不动产单元、权利人、权利类型及登记时间等信息。",
        items="不动产单元号 code 28位不动产单元号; 权利人 string 权利人名称或姓名; "
        "证件号码 code 权利人证件号码; 坐落 string 不动产坐落; 面积 decimal 平方米; "
        "权利类型 code 国有建设用地使用权、房屋所有权等; 登记时间 datetime 登簿时间",
        personal=True, agent=True, source="广州市不动产登记信息管理平台",
    ),
    Spec(
        "gz_planning", "open_resource", "广州市标准地名地址数据", "M", "地名地址",
        "monthly", "CSV GeoJSON API", "general:1", "unconditional", "approved+correction",
        summary="广州市标准地名、门楼牌地址及其空间位置，供导航、物流、政务服务统一引用。",
        items="标准地址 string 规范化的完整地址; 地名 string 标准地名; "
        "行政区划代码 code 区县级行政区划代码; 街道 string 所属街道; 门牌号 string 门楼牌号; "
        "经度 decimal CGCS2000经度; 纬度 decimal CGCS2000纬度",
        records=3_420_000,
    ),
    Spec(
        "gz_power", "resource", "广州市分行业用电量统计数据", "D", "能源电力",
        "monthly", "CSV XLSX", "general:2", "conditional", "approved",
        summary="广州市按区、按国民经济行业门类汇总的月度用电量及用电户数，反映经济运行态势。",
        items="统计月份 date 统计所属月份; 行政区 string 区名称; 行业门类 code GB/T 4754门类; "
        "用电量 decimal 万千瓦时; 同比增长率 decimal 百分比; 用电户数 integer 户",
        operation=True, source="南方电网营销管理系统",
    ),
    Spec(
        "gz_power", "resource", "广州电网调度实时运行数据", "D", "能源电力",
        "realtime", "DATABASE", "core", "not_open", "rejected",
        summary="广州电网主网厂站、主变和线路的实时有功、无功、电压等调度运行数据。",
        items="厂站编号 code 变电站编号; 设备编号 code 主变或线路编号; 有功功率 decimal 兆瓦; "
        "无功功率 decimal 兆乏; 母线电压 decimal 千伏; 采集时间 datetime 采样时间",
        notes=(
            "该数据属于电网调度核心数据，应按核心数据管理要求另行报备，不适用公共数据资源登记，"
            "形式审核不通过。",
        ),
    ),
    Spec(
        "gz_hospital", "resource", "广州市第一人民医院门诊诊疗数据", "Q", "医疗健康",
        "daily", "DATABASE", "important", "not_open", "returned",
        summary="医院门诊就诊记录，含就诊科室、诊断编码、就诊日期及费用汇总，患者标识已脱敏。",
        items="就诊流水号 code 门诊就诊流水号; 患者标识 code 脱敏后的患者唯一标识; "
        "就诊科室 string 科室名称; 诊断编码 code ICD-10编码; 就诊日期 date 就诊日期; "
        "费用总额 decimal 元",
        personal=True, source="医院信息系统(HIS)",
        notes=(
            "数据项“患者标识”未说明脱敏算法及可逆性，安全级别定级依据不充分，请补充分级说明后"
            "重新提交。",
        ),
    ),
    Spec(
        "gz_hospital", "open_resource", "广州市第一人民医院专家出诊信息", "Q", "医疗健康",
        "weekly", "CSV JSON", "general:1", "unconditional", "draft",
        summary="各临床科室专家出诊时间、职称及号源数量，方便患者预约挂号。",
        items="医生姓名 string 出诊医生姓名; 职称 string 专业技术职称; 科室 string 出诊科室; "
        "出诊日期 date 出诊日期; 出诊时段 string 上午、下午、夜诊; 号源数量 integer 可预约号源数",
    ),
    Spec(
        "sz_health", "resource", "深圳市医疗机构执业登记信息", "Q", "医疗健康",
        "monthly", "CSV API", "general:1", "unconditional", "approved",
        summary="深圳市各级各类医疗机构执业登记信息，含机构类别、诊疗科目、床位数和有效期。",
        items="机构名称 string 医疗机构名称; 登记号 code 执业许可证登记号; 机构类别 code 医院、"
        "社区健康服务中心、诊所等; 地址 string 执业地址; 诊疗科目 text 核准的诊疗科目; "
        "床位数 integer 核定床位; 有效期至 date 许可证有效期",
    ),
    Spec(
        "sz_health", "resource", "深圳市居民电子健康档案数据", "Q", "医疗健康",
        "daily", "DATABASE", "important", "not_open", "approved",
        summary="深圳市常住居民电子健康档案的建档信息、慢病管理标识及更新记录。",
        items="档案编号 code 健康档案编号; 居民标识 code 脱敏后的居民唯一标识; "
        "出生年月 date 出生年月; 性别 code GB/T 2261.1; 慢病管理标识 boolean 是否纳入慢病管理; "
        "建档机构 string 社区健康服务中心; 更新时间 datetime 最近更新时间",
        personal=True, records=14_800_000, source="深圳市全民健康信息平台",
    ),
    Spec(
        "sz_health", "open_resource", "深圳市预防接种门诊名录", "Q", "疾病预防",
        "weekly", "CSV JSON", "general:1", "unconditional", "notice:dismissed",
        summary="深圳市各区预防接种门诊的名称、地址、服务时间及可接种疫苗种类。",
        items="门诊名称 string 接种门诊名称; 所属区 string 行政区; 地址 string 门诊地址; "
        "服务时间 string 对外服务时间; 联系电话 string 咨询电话; 可接种疫苗 text 疫苗种类",
        notes=(
            "公示的名录中有两家门诊已于上月停止服务，名录信息不准确。",
            "经核实，名录数据每周更新，公示版本已剔除停止服务的门诊，与最新数据一致，异议不成立。",
        ),
    ),
    Spec(
        "sz_transport", "resource", "深圳市公交线路及站点数据", "G", "交通出行",
        "monthly", "CSV API", "general:1", "unconditional", "approved+change",
        summary="深圳市常规公交线路走向、站点位置、首末班时间及票价信息。",
        items="线路编号 code 公交线路编号; 线路名称 string 线路名称; 站点名称 string 站点名称; "
        "站序 integer 站点在线路中的顺序; 首班时间 string HH:MM; 末班时间 string HH:MM; "
        "票价 decimal 元; 站点位置 geometry 站点坐标",
    ),
    Spec(
        "sz_transport", "resource", "深圳市网约车运营监管数据", "G", "交通出行",
        "realtime", "API", "important", "conditional", "under_review",
        summary="网约车平台接入监管平台的订单、车辆和驾驶员运营数据，开放时仅提供脱敏聚合结果。",
        items="平台名称 string 网约车平台公司; 车辆号牌 code 脱敏后的车牌号; 订单编号 code 订单号; "
        "上车时间 datetime 上车时间; 下车时间 datetime 下车时间; 行驶里程 decimal 公里; "
        "上车区域 string 上车所在街道",
        personal=True, secret=True, operation=True,
        consent="经网约车平台公司书面同意并依据用户协议取得乘客授权，仅开放脱敏聚合数据。",
        source="深圳市网络预约出租汽车监管平台",
    ),
    Spec(
        "sz_transport", "open_resource", "深圳市道路停车泊位信息", "G", "静态交通",
        "realtime", "JSON API", "general:1", "unconditional", "notice:ended",
        summary="深圳市路内停车泊位的位置、收费标准及实时空闲状态。",
        items="泊位编号 code 路内泊位编号; 路段名称 string 所在路段; 泊位类型 code 小型车、"
        "大型车、无障碍; 收费标准 string 分时段收费标准; 是否空闲 boolean 实时状态; "
        "更新时间 datetime 状态更新时间; 经度 decimal 经度; 纬度 decimal 纬度",
    ),
    Spec(
        "fs_hrss", "resource", "佛山市社会保险参保登记数据", "S", "社会保障",
        "daily", "DATABASE", "important", "not_open", "withdrawn",
        summary="佛山市参保单位和参保人员的社会保险登记、险种及参保状态信息。",
        items="个人社保号 code 社会保障号码; 姓名 string 参保人姓名; 证件号码 code 身份证件号码; "
        "参保单位 string 参保单位名称; 险种类型 code 养老、医疗、失业、工伤、生育; "
        "参保状态 code 正常、暂停、终止; 参保日期 date 首次参保日期",
        personal=True,
        notes=("省人力资源社会保障厅将统一登记全省社会保险数据，本单位撤回申请。",),
    ),
    Spec(
        "fs_hrss", "open_resource", "佛山市职业技能培训机构名录", "P", "职业培训",
        "quarterly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="佛山市经认定的职业技能培训机构及其可开展的培训工种、等级。",
        items="机构名称 string 培训机构名称; 办学许可证号 code 许可证编号; 培训工种 text 可培训"
        "工种; 培训等级 code 初级工至高级技师; 地址 string 办学地址; 联系电话 string 咨询电话",
    ),
    Spec(
        "fs_hrss", "resource", "佛山市公共就业岗位信息", "L", "就业服务",
        "daily", "CSV API", "general:1", "unconditional", "submitted:overdue",
        summary="公共就业服务机构发布的招聘岗位、薪酬范围、学历要求及招聘单位信息。",
        items="岗位编号 code 岗位唯一编号; 岗位名称 string 招聘岗位; 招聘单位 string 单位名称; "
        "薪酬下限 integer 元/月; 薪酬上限 integer 元/月; 学历要求 code 学历层次; "
        "工作地点 string 所在区镇; 发布日期 date 发布日期",
    ),
    # 运营机构的数据产品
    Spec(
        "gz_datagroup", "product", "企业经营风险评估数据服务", "J", "普惠金融",
        "daily", "API", "general:2", "conditional", "approved",
        summary="基于经授权的市场主体登记、社保缴纳、用电等公共数据在数据专区内建模，向银行提供"
        "企业经营风险评分，原始数据不出域。",
        items="统一社会信用代码 code 被评估企业代码; 风险评分 integer 0至100; "
        "风险等级 code 低、中、高; 评估日期 date 评分生成日期; 主要风险因子 text 影响评分的主要因素",
        operation=True, source="广州市公共数据授权运营数据专区",
    ),
    Spec(
        "gz_datagroup", "product", "城市交通出行热力指数服务", "G", "智慧交通",
        "realtime", "API", "general:2", "conditional", "notice",
        summary="融合公交刷卡、路况和停车数据生成的500米网格出行热力及拥堵指数。",
        items="网格编号 code 500米网格编号; 统计时段 string 15分钟时段; 出行热度指数 decimal 0至10; "
        "拥堵指数 decimal 0至10; 统计日期 date 统计日期",
        operation=True, source="广州市公共数据授权运营数据专区",
    ),
    Spec(
        "gz_datagroup", "product", "普惠金融企业信用核验服务", "J", "信用核验",
        "realtime", "API", "general:2", "conditional", "supplement",
        summary="按金融机构请求核验企业登记状态、纳税信用等级及社保缴纳情况，只返回核验结果。",
        items="核验请求号 code 请求流水号; 统一社会信用代码 code 被核验企业; 核验项目 code "
        "登记状态、纳税信用、社保缴纳; 核验结果 boolean 是否符合; 核验时间 datetime 核验时间",
        operation=True,
        notes=(
            "attachments|未提供授权运营协议中产品开发范围的证明材料，请上传协议相关页。",
            "summary|内容摘要未说明核验结果的返回形式及调用方身份核验措施，请补充。",
        ),
    ),
]
# fmt: on
