"""Coded open data resources that the open portal's demo (portal.demo) publishes as datasets:
directories, statistics and monitoring data of the holders in the other catalogue modules,
mostly opened unconditionally. Loaded after the rest, so the earlier records keep their dates."""

from registry.demo.spec import Spec

# fmt: off
OPEN: list[Spec] = [
    # 广东
    Spec(
        "gd_transport", "open_resource", "广东省高速公路服务区信息", "G", "交通出行",
        "quarterly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全省高速公路服务区的名称、所在路段、方向、桩号、服务设施及充电桩数量。",
        items="服务区编号 code 服务区编号; 服务区名称 string 服务区名称; 所在路段 string 高速公路名称; "
        "行车方向 string 方向; 桩号 string 里程桩号; 所在地市 string 地级市; 充电桩数量 integer 个; "
        "停车位数量 integer 个; 经度 decimal WGS84经度; 纬度 decimal WGS84纬度",
        records=186,
    ),
    Spec(
        "gd_market", "open_resource", "广东省“双随机、一公开”抽查结果信息", "S", "市场监管",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="全省市场监管部门“双随机、一公开”监管抽查的任务、被抽查主体、抽查事项及结果。",
        items="任务编号 code 抽查任务编号; 任务名称 string 抽查任务名称; 被抽查主体 string 市场主体名称; "
        "统一社会信用代码 code 主体代码; 抽查事项 string 检查事项; 抽查结果 code 未发现问题、"
        "责令整改等; 检查日期 date 日期; 检查机关 string 实施检查的机关",
    ),
    Spec(
        "gd_ecology", "open_resource", "广东省地表水国考断面水质月报数据", "N", "生态环境",
        "monthly", "CSV PDF", "general:1", "unconditional", "approved",
        summary="全省国家地表水考核断面逐月水质类别、主要污染指标浓度及达标情况。",
        items="断面编码 code 国考断面编码; 断面名称 string 断面名称; 所在河流 string 河流或湖库; "
        "所在地市 string 地级市; 监测月份 date 月份; 水质类别 code Ⅰ类至劣Ⅴ类; 溶解氧 decimal "
        "毫克/升; 高锰酸盐指数 decimal 毫克/升; 氨氮 decimal 毫克/升; 总磷 decimal 毫克/升; "
        "是否达标 boolean 是否达到年度目标",
        records=852,
    ),
    Spec(
        "gz_planning", "open_resource", "广州市公园名录及范围数据", "N", "园林绿化",
        "yearly", "GeoJSON CSV", "general:1", "unconditional", "approved",
        summary="全市城市公园、郊野公园的名称、类型、面积、所在区、开放时间及公园范围线。",
        items="公园编号 code 公园编号; 公园名称 string 公园名称; 公园类型 code 综合公园、社区公园、"
        "专类公园、郊野公园; 所在区 string 行政区; 面积 decimal 公顷; 开放时间 string 开放时间; "
        "范围 geometry 公园范围线(WGS84)",
        records=120,
    ),
    Spec(
        "gz_power", "open_resource", "广州市电动汽车公共充电站分布信息", "D", "能源电力",
        "monthly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全市对社会开放的电动汽车公共充电站名称、运营单位、快慢充桩数量、收费标准及位置。",
        items="充电站编号 code 充电站编号; 充电站名称 string 名称; 运营单位 string 运营企业; 所在区 "
        "string 行政区; 地址 string 地址; 快充桩数 integer 个; 慢充桩数 integer 个; 充电服务费 "
        "decimal 元/千瓦时; 经度 decimal WGS84经度; 纬度 decimal WGS84纬度",
        records=1600,
    ),
    Spec(
        "gz_hospital", "open_resource", "广州市第一人民医院门诊科室出诊安排", "Q", "医疗健康",
        "weekly", "CSV JSON", "general:1", "unconditional", "approved",
        summary="医院各院区门诊科室按星期和时段的出诊安排、号源数量及门诊类型，不含医生个人信息。",
        items="院区 string 院区名称; 科室 string 门诊科室; 门诊类型 code 普通门诊、专家门诊、专病门诊; "
        "星期 code 周一至周日; 时段 code 上午、下午、夜间; 号源数 integer 个; 诊室位置 string 楼层诊区",
    ),
    Spec(
        "sz_health", "open_resource", "深圳市社区健康服务中心名录", "Q", "基层医疗",
        "quarterly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全市社区健康服务中心的名称、举办机构、所在街道、地址、服务时间、家庭医生团队数"
        "及位置。",
        items="机构代码 code 机构编码; 机构名称 string 社区健康服务中心名称; 举办机构 string 举办医院; "
        "所在区 string 行政区; 所在街道 string 街道; 地址 string 地址; 服务时间 string 服务时间; "
        "家庭医生团队数 integer 个; 经度 decimal 经度; 纬度 decimal 纬度",
        records=820,
    ),
    Spec(
        "sz_transport", "open_resource", "深圳市道路临时停车收费标准", "G", "交通出行",
        "irregular", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="全市道路临时停车收费区域分类、时段、车型及收费标准。",
        items="片区编号 code 收费片区编号; 所在区 string 行政区; 区域类别 code 一类至三类区域; 车型 code "
        "小型车、大型车; 时段 string 收费时段; 首小时收费 decimal 元; 续时收费 decimal 元/半小时; "
        "执行日期 date 执行日期",
    ),
    Spec(
        "fs_hrss", "open_resource", "佛山市人力资源市场工资价位数据", "S", "就业服务",
        "yearly", "XLSX CSV", "general:1", "unconditional", "approved",
        summary="全市人力资源市场分职业（工种）的工资价位，含低位数、中位数、高位数和平均数。",
        items="职业代码 code 职业分类代码; 职业名称 string 职业（工种）名称; 低位数 decimal 元/月; "
        "中位数 decimal 元/月; 高位数 decimal 元/月; 平均数 decimal 元/月; 统计年度 integer 年度",
    ),
    # 浙江
    Spec(
        "zj_market", "open_resource", "浙江省消费投诉举报统计数据", "F", "消费维权",
        "monthly", "XLSX CSV", "general:1", "unconditional", "approved",
        summary="全省12315平台按月、按地市和商品服务类别汇总的投诉举报件数、办结率及挽回经济损失，"
        "不含投诉明细。",
        items="统计月份 date 月份; 地市 string 地市; 商品服务类别 code 消费投诉分类; 投诉件数 integer 件; "
        "举报件数 integer 件; 办结率 decimal 百分比; 挽回经济损失 decimal 万元",
    ),
    Spec(
        "zj_edu", "open_resource", "浙江省普通高等学校名单", "P", "高等教育",
        "yearly", "CSV JSON", "general:1", "unconditional", "approved",
        summary="全省普通高等学校的名称、学校标识码、主管部门、所在地、办学层次及办学性质。",
        items="学校标识码 code 教育部学校标识码; 学校名称 string 学校名称; 主管部门 string 主管部门; "
        "所在地 string 所在城市; 办学层次 code 本科、专科; 办学性质 code 公办、民办; 备注 string 备注",
        records=109,
    ),
    Spec(
        "hz_water", "open_resource", "杭州市千岛湖配水工程水源水质数据", "D", "城市供水",
        "monthly", "CSV PDF", "general:1", "unconditional", "approved",
        summary="千岛湖配水工程取水口及沿线水厂进水的月度水质监测结果，含常规指标和综合评价。",
        items="监测点位 string 监测点位; 监测月份 date 月份; 水温 decimal 摄氏度; pH值 decimal 无量纲; "
        "溶解氧 decimal 毫克/升; 高锰酸盐指数 decimal 毫克/升; 总磷 decimal 毫克/升; 浑浊度 decimal "
        "NTU; 水质类别 code Ⅰ类至劣Ⅴ类",
    ),
    Spec(
        "hz_water", "open_resource", "杭州市供水营业服务网点", "D", "城市供水",
        "irregular", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="杭州水务集团营业厅及服务网点的名称、地址、服务时间、可办业务和服务电话。",
        items="网点名称 string 网点名称; 所在区 string 行政区; 地址 string 地址; 服务时间 string 营业时间; "
        "可办业务 text 业务范围; 服务电话 string 电话; 经度 decimal 经度; 纬度 decimal 纬度",
        records=46,
    ),
    Spec(
        "hz_transport", "open_resource", "杭州市公共自行车服务点信息", "G", "交通出行",
        "monthly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全市公共自行车服务点的编号、名称、所在区、锁止器数量、服务时间及位置。",
        items="服务点编号 code 服务点编号; 服务点名称 string 名称; 所在区 string 行政区; 地址 string "
        "地址; 锁止器数量 integer 个; 服务时间 string 服务时间; 是否24小时 boolean 是否全天服务; "
        "经度 decimal 经度; 纬度 decimal 纬度",
        records=3600,
    ),
    Spec(
        "nb_port", "open_resource", "宁波舟山港集装箱吞吐量月度统计", "G", "港航物流",
        "monthly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="宁波舟山港各港区按月统计的货物吞吐量、集装箱吞吐量及同比增速。",
        items="统计月份 date 月份; 港区 string 港区; 货物吞吐量 decimal 万吨; 集装箱吞吐量 decimal "
        "万标准箱; 外贸货物吞吐量 decimal 万吨; 集装箱同比增长 decimal 百分比",
    ),
    Spec(
        "wz_medsec", "open_resource", "温州市长期护理保险定点服务机构名录", "S", "医疗保障",
        "quarterly", "CSV", "general:1", "unconditional", "approved",
        summary="全市长期护理保险定点护理服务机构的名称、类型、服务方式、床位数、地址及协议期限。",
        items="机构编码 code 定点机构编码; 机构名称 string 机构名称; 机构类型 code 养老机构、医疗机构、"
        "居家护理机构; 服务方式 code 机构护理、居家护理; 所在区县 string 区县; 床位数 integer 张; "
        "地址 string 地址; 协议有效期至 date 日期",
    ),
    # 江苏
    Spec(
        "js_resources", "open_resource", "江苏省国有建设用地供应结果信息", "K", "土地管理",
        "monthly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="全省国有建设用地使用权出让、划拨的供应结果，含宗地位置、面积、用途、供应方式及"
        "成交价格。",
        items="电子监管号 code 供地电子监管号; 项目名称 string 项目名称; 所在市县 string 市县; 宗地坐落 "
        "string 宗地位置; 面积 decimal 公顷; 土地用途 code 工业、住宅、商服等; 供地方式 code 挂牌、"
        "拍卖、协议、划拨; 成交价格 decimal 万元; 签订日期 date 合同签订日期",
    ),
    Spec(
        "js_resources", "open_resource", "江苏省自然保护地分布数据", "N", "自然保护",
        "irregular", "GeoJSON CSV", "general:1", "unconditional", "approved",
        summary="全省自然保护区、风景名胜区、森林公园、湿地公园等自然保护地的名称、级别、面积和"
        "范围。",
        items="保护地编码 code 编码; 保护地名称 string 名称; 保护地类型 code 自然保护区、风景名胜区等; "
        "级别 code 国家级、省级; 面积 decimal 公顷; 所在市 string 设区市; 范围 geometry 范围(WGS84)",
    ),
    Spec(
        "nj_transport", "open_resource", "南京市公共停车场信息", "G", "交通出行",
        "monthly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全市备案公共停车场的名称、类型、泊位数、收费标准、开放时间及位置。",
        items="停车场编号 code 备案编号; 停车场名称 string 名称; 停车场类型 code 地面、地下、立体; "
        "所在区 string 行政区; 地址 string 地址; 总泊位数 integer 个; 充电泊位数 integer 个; "
        "首小时收费 decimal 元; 开放时间 string 开放时间; 经度 decimal 经度; 纬度 decimal 纬度",
    ),
    Spec(
        "sz_gas", "open_resource", "苏州市管道燃气销售价格", "D", "城市燃气",
        "irregular", "CSV", "general:1", "unconditional", "approved",
        summary="苏州市区居民和非居民管道天然气阶梯价格、执行时间及价格文件文号。",
        items="用户类别 code 居民、非居民; 阶梯 code 第一档至第三档; 年用气量区间 string 立方米; "
        "销售价格 decimal 元/立方米; 执行日期 date 执行日期; 价格文件 string 文件文号",
    ),
    Spec(
        "sz_gas", "open_resource", "苏州港华燃气客户服务网点", "D", "城市燃气",
        "irregular", "CSV JSON", "general:1", "unconditional", "approved",
        summary="苏州港华燃气客户服务中心及营业网点的地址、营业时间和可办理业务。",
        items="网点名称 string 网点名称; 所在区 string 行政区; 地址 string 地址; 营业时间 string 时间; "
        "可办业务 text 业务范围; 服务热线 string 电话",
    ),
    # 四川
    Spec(
        "sc_agri", "open_resource", "四川省农民专业合作社名录", "A", "农业农村",
        "quarterly", "CSV", "general:1", "unconditional", "approved",
        summary="全省依法登记的农民专业合作社名称、统一社会信用代码、所在县、主营产业、成员数及"
        "示范社级别。",
        items="统一社会信用代码 code 合作社代码; 合作社名称 string 名称; 所在市州 string 市州; 所在县区 "
        "string 县区; 主营产业 code 种植、养殖、农机等; 成员数 integer 户; 示范社级别 code 国家级、"
        "省级、市级、无; 成立日期 date 日期",
        records=2000,
    ),
    Spec(
        "sc_agri", "open_resource", "四川省主要农作物播种面积和产量", "A", "农业农村",
        "yearly", "XLSX CSV", "general:1", "unconditional", "approved",
        summary="全省及各市州水稻、小麦、玉米、油菜籽、马铃薯等主要农作物年度播种面积、单产和"
        "总产量。",
        items="年度 integer 年度; 市州 string 市州; 作物 code 作物名称; 播种面积 decimal 千公顷; "
        "单产 decimal 公斤/公顷; 总产量 decimal 万吨",
    ),
    Spec(
        "cd_metro", "open_resource", "成都地铁车站出入口信息", "G", "轨道交通",
        "irregular", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="成都地铁各线路车站出入口的编号、名称、无障碍设施及位置。",
        items="车站编号 code 车站编号; 车站名称 string 车站; 线路 string 线路; 出入口编号 code 如A、B1; "
        "出入口名称 string 指向道路或地标; 无障碍电梯 boolean 是否设无障碍电梯; 经度 decimal 经度; "
        "纬度 decimal 纬度",
    ),
    Spec(
        "cd_metro", "open_resource", "成都地铁首末班车时刻表", "G", "轨道交通",
        "irregular", "CSV JSON", "general:1", "unconditional", "approved",
        summary="成都地铁各线路各车站分方向的首班车和末班车时间。",
        items="线路 string 线路; 车站 string 车站; 方向 string 开往方向; 首班车时间 string HH:MM; "
        "末班车时间 string HH:MM; 适用日期 code 工作日、周末及节假日",
    ),
    # 山东
    Spec(
        "sd_medsec", "open_resource", "山东省医疗服务价格项目目录", "Q", "医疗保障",
        "irregular", "XLSX", "general:1", "unconditional", "approved",
        summary="全省公立医疗机构医疗服务价格项目的编码、名称、内涵、计价单位及三级医院基准价格。",
        items="项目编码 code 医疗服务项目编码; 项目名称 string 名称; 项目内涵 text 项目内涵; 除外内容 "
        "text 除外内容; 计价单位 string 单位; 三级医院价格 decimal 元; 医保类别 code 甲类、乙类、"
        "丙类",
    ),
    Spec(
        "sd_medsec", "open_resource", "山东省医保定点零售药店名录", "Q", "医疗保障",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="全省医保定点零售药店的机构编码、名称、所在市县、地址及是否开通门诊统筹。",
        items="机构编码 code 国家医保机构编码; 药店名称 string 名称; 所在市 string 设区市; 所在县区 "
        "string 县区; 地址 string 地址; 门诊统筹 boolean 是否开通门诊统筹; 协议有效期至 date 日期",
    ),
    Spec(
        "qd_ocean", "open_resource", "青岛市海水浴场水质监测数据", "N", "海洋生态",
        "yearly", "CSV PDF", "general:1", "unconditional", "approved",
        summary="青岛市主要海水浴场游泳季逐周水质监测结果、粪大肠菌群浓度及适宜游泳等级。",
        items="浴场名称 string 海水浴场; 监测日期 date 日期; 水温 decimal 摄氏度; 粪大肠菌群 integer "
        "个/升; 漂浮物 code 无、少量; 水质等级 code 优、良、差; 游泳适宜度 code 适宜、较适宜、"
        "不适宜",
    ),
    Spec(
        "qd_ocean", "open_resource", "青岛市海洋观测站逐时潮位数据", "N", "海洋观测",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="青岛沿岸海洋观测站逐时实测潮位及预报潮位，潮位基面为当地理论最低潮面。",
        items="站点 string 观测站; 观测时间 datetime 整点时间; 实测潮位 integer 厘米; 预报潮位 integer "
        "厘米; 增减水 integer 厘米",
    ),
    # 湖北
    Spec(
        "wh_water", "open_resource", "武汉市湖泊基本信息", "N", "水资源",
        "yearly", "GeoJSON CSV", "general:1", "unconditional", "approved",
        summary="全市纳入保护名录的湖泊名称、所在区、水域面积、平均水深、水质目标及湖泊保护范围。",
        items="湖泊编号 code 湖泊编号; 湖泊名称 string 名称; 所在区 string 行政区; 水域面积 decimal "
        "平方公里; 平均水深 decimal 米; 水质目标 code Ⅱ类至Ⅴ类; 湖长 string 区级湖长职务; "
        "范围 geometry 保护范围(WGS84)",
        records=166,
    ),
    Spec(
        "wh_water", "open_resource", "武汉市排水泵站名录", "N", "防汛排涝",
        "yearly", "CSV", "general:1", "unconditional", "approved",
        summary="全市城市排水泵站的名称、所在区、排水系统、设计流量、装机容量及管理单位。",
        items="泵站编号 code 编号; 泵站名称 string 名称; 所在区 string 行政区; 排水系统 string 所属排水"
        "系统; 设计流量 decimal 立方米/秒; 装机容量 decimal 千瓦; 管理单位 string 管理单位",
    ),
    Spec(
        "hb_tourism", "open_resource", "湖北省星级饭店名录", "H", "住宿餐饮",
        "quarterly", "CSV", "general:1", "unconditional", "approved",
        summary="全省星级旅游饭店的名称、星级、所在市州、地址、客房数和评定时间。",
        items="饭店名称 string 饭店名称; 星级 code 一星级至五星级; 所在市州 string 市州; 地址 string "
        "地址; 客房数 integer 间; 评定日期 date 日期; 咨询电话 string 电话",
    ),
    Spec(
        "hb_tourism", "open_resource", "湖北省文物保护单位名录", "R", "文物保护",
        "irregular", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全省全国重点文物保护单位和省级文物保护单位的名称、时代、类别、公布批次及位置。",
        items="编号 code 名录编号; 名称 string 文物保护单位名称; 时代 string 时代; 类别 code 古遗址、"
        "古墓葬、古建筑、石窟寺及石刻、近现代重要史迹; 级别 code 全国重点、省级; 公布批次 string "
        "批次; 所在市州 string 市州; 经度 decimal 经度; 纬度 decimal 纬度",
    ),
    # 福建
    Spec(
        "fj_forestry", "open_resource", "福建省古树名木信息", "A", "林业资源",
        "yearly", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全省已普查建档的古树名木编号、树种、树龄、保护等级、所在县区及位置。",
        items="古树编号 code 全省统一编号; 树种 string 中文名; 科属 string 科、属; 估测树龄 integer 年; "
        "保护等级 code 一级、二级、三级、名木; 胸围 integer 厘米; 树高 decimal 米; 所在县区 string "
        "县区; 经度 decimal 经度; 纬度 decimal 纬度",
        records=3000,
    ),
    Spec(
        "fj_forestry", "open_resource", "福建省森林火险气象等级预报", "A", "森林防火",
        "daily", "CSV XML", "general:1", "unconditional", "approved",
        summary="与气象部门联合发布的全省各县区未来24小时森林火险气象等级预报。",
        items="预报日期 date 日期; 设区市 string 设区市; 县区 string 县区; 火险等级 integer 一级至五级; "
        "火险描述 code 低、较低、较高、高、极高; 防火提示 text 防火提示",
    ),
    Spec(
        "xm_bus", "open_resource", "厦门市公交线路基本信息", "G", "公交运营",
        "monthly", "CSV JSON", "general:1", "unconditional", "approved",
        summary="厦门公交集团运营线路的编号、起讫站、首末班时间、票价、线路长度和配车数。",
        items="线路编号 code 线路编号; 线路名称 string 线路名称; 起点站 string 起点; 终点站 string 终点; "
        "首班时间 string HH:MM; 末班时间 string HH:MM; 票价 decimal 元; 线路长度 decimal 公里; "
        "配车数 integer 辆",
    ),
    Spec(
        "xm_bus", "open_resource", "厦门市BRT线路及站点数据", "G", "公交运营",
        "irregular", "GeoJSON", "general:1", "unconditional", "approved",
        summary="厦门快速公交（BRT）各线路走向及站点位置。",
        items="要素类型 code 线路、站点; 名称 string 线路或站点名称; 线路编号 code 线路编号; 站序 "
        "integer 站点顺序; 位置 geometry 线路或站点坐标(WGS84)",
    ),
    # 上海、北京
    Spec(
        "sh_housing", "open_resource", "上海市保障性租赁住房项目信息", "K", "住房保障",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="全市已认定保障性租赁住房项目的名称、所在区、房源套数、户型及租金水平。",
        items="项目认定书编号 code 编号; 项目名称 string 名称; 所在区 string 行政区; 地址 string 地址; "
        "房源套数 integer 套; 主要户型 string 户型; 月租金 decimal 元/平方米; 供应状态 code 已供应、"
        "在建",
    ),
    Spec(
        "sh_housing", "open_resource", "上海市建筑业企业资质信息", "E", "建设工程",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="在沪注册建筑业企业的资质证书编号、资质类别及等级、发证日期和有效期。",
        items="证书编号 code 资质证书编号; 企业名称 string 企业名称; 统一社会信用代码 code 企业代码; "
        "资质类别 string 资质类别; 资质等级 code 特级、一级、二级、三级; 发证日期 date 日期; "
        "有效期至 date 日期",
        records=3000,
    ),
    Spec(
        "bj_ecology", "open_resource", "北京市空气质量日报数据", "N", "生态环境",
        "daily", "CSV JSON", "general:1", "unconditional", "approved",
        summary="全市各空气质量监测站点逐日空气质量指数、首要污染物及主要污染物日均浓度。",
        items="日期 date 日期; 监测站点 string 站点; 所在区 string 行政区; 空气质量指数 integer AQI; "
        "空气质量级别 code 优至严重污染; 首要污染物 string 首要污染物; 细颗粒物 integer 微克/立方米; "
        "二氧化氮 integer 微克/立方米",
    ),
    Spec(
        "bj_ecology", "open_resource", "北京市声环境功能区噪声监测数据", "N", "生态环境",
        "quarterly", "CSV", "general:1", "unconditional", "approved",
        summary="全市声环境功能区监测点位季度昼间、夜间等效声级及达标情况。",
        items="点位名称 string 监测点位; 所在区 string 行政区; 功能区类别 code 0至4类; 监测季度 string "
        "季度; 昼间等效声级 decimal 分贝; 夜间等效声级 decimal 分贝; 是否达标 boolean 昼夜是否均达标",
    ),
    # 西藏、青海
    Spec(
        "xz_agri", "open_resource", "西藏自治区农牧业特色产业统计数据", "A", "农业农村",
        "yearly", "XLSX", "general:1", "unconditional", "approved",
        summary="全区各地市青稞、牦牛、藏系绵羊、蔬菜、饲草等特色产业年度生产规模和产值。",
        items="年度 integer 年度; 地市 string 地市; 产业 code 特色产业; 规模 decimal 种植或存栏规模; "
        "规模单位 string 万亩、万头或万只; 产量 decimal 万吨; 产值 decimal 亿元",
    ),
    Spec(
        "qh_forestry", "open_resource", "青海省自然保护地名录", "N", "自然保护",
        "irregular", "CSV GeoJSON", "general:1", "unconditional", "approved",
        summary="全省国家公园、自然保护区、自然公园的名称、类型、级别、面积和主要保护对象。",
        items="保护地名称 string 名称; 保护地类型 code 国家公园、自然保护区、自然公园; 级别 code "
        "国家级、省级; 面积 decimal 平方公里; 所在市州 string 市州; 主要保护对象 text 保护对象; "
        "经度 decimal 中心点经度; 纬度 decimal 中心点纬度",
    ),
    # 中央单位
    Spec(
        "nbs", "open_resource", "分省地区生产总值季度数据", "S", "统计调查",
        "quarterly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="31个省（区、市）地区生产总值季度累计值及按不变价格计算的累计增速。",
        items="季度 string 年度及季度; 地区 string 省份; 地区生产总值 decimal 亿元; 第一产业增加值 "
        "decimal 亿元; 第二产业增加值 decimal 亿元; 第三产业增加值 decimal 亿元; 累计增速 decimal "
        "百分比",
        coverage=("000000",), source="国家统计局统计数据库",
    ),
    Spec(
        "nbs", "open_resource", "70个大中城市商品住宅销售价格指数", "S", "统计调查",
        "monthly", "CSV", "general:1", "unconditional", "approved",
        summary="70个大中城市新建商品住宅和二手住宅销售价格的环比、同比和定基指数。",
        items="统计月份 date 月份; 城市 string 城市; 住宅类型 code 新建商品住宅、二手住宅; 环比指数 "
        "decimal 上月=100; 同比指数 decimal 上年同月=100; 定基指数 decimal 2020年=100",
        coverage=("000000",), source="国家统计局统计数据库",
    ),
    Spec(
        "mwr_info", "open_resource", "全国大中型水库名录", "N", "水利工程",
        "yearly", "CSV XLSX", "general:1", "unconditional", "approved",
        summary="全国大型和中型水库的名称、所在省份、所在河流、总库容、主要功能及管理单位。",
        items="水库代码 code 水利普查对象编码; 水库名称 string 名称; 所在省份 string 省份; 所在河流 "
        "string 河流; 工程规模 code 大(1)型、大(2)型、中型; 总库容 decimal 亿立方米; 主要功能 "
        "string 防洪、灌溉、供水、发电等; 建成年份 integer 年份",
        coverage=("000000",),
    ),
    Spec(
        "cma_service", "open_resource", "全国气象灾害预警信号数据", "M", "气象服务",
        "realtime", "XML JSON", "general:1", "unconditional", "approved",
        summary="各级气象台站发布的暴雨、台风、寒潮、大风、高温、大雾等气象灾害预警信号。",
        items="预警编号 code 预警信息标识; 发布单位 string 发布气象台; 预警类型 code 暴雨、台风等; "
        "预警级别 code 蓝色、黄色、橙色、红色; 发布时间 datetime 时间; 影响区域 string 区域; "
        "防御指南 text 防御指南",
        coverage=("000000",),
    ),
    Spec(
        "nhsa", "open_resource", "国家基本医疗保险药品目录", "Q", "医疗保障",
        "yearly", "XLSX PDF", "general:1", "unconditional", "approved",
        summary="国家基本医疗保险、工伤保险和生育保险药品目录，含药品分类、编号、名称、剂型及"
        "备注。",
        items="药品分类 code 西药、中成药; 编号 code 目录编号; 医保类别 code 甲类、乙类; 药品名称 "
        "string 通用名; 剂型 string 剂型; 备注 text 限定支付范围",
        coverage=("000000",),
    ),
]
# fmt: on
