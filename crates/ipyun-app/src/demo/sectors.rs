//! Technology sectors: each ties GB/T 4754 classes to company words, IPC symbols, Nice classes and
//! the vocabulary of right titles.

use super::rng::Rng;

pub(crate) const BATTERY: usize = 0;
pub(crate) const CHIP: usize = 1;
pub(crate) const AI: usize = 2;
pub(crate) const COMM: usize = 3;
pub(crate) const BIO: usize = 4;
pub(crate) const MED: usize = 5;
pub(crate) const EQUIP: usize = 6;
pub(crate) const MATERIAL: usize = 7;
pub(crate) const INSTR: usize = 8;
pub(crate) const AUTO: usize = 9;
pub(crate) const ENV: usize = 10;
pub(crate) const POWER: usize = 11;

/// Word lists are written as one string, items separated by `、` (see [`pick`]).
pub(crate) struct Sector {
    /// GB/T 4754-2017 classes (小类), section letter first.
    pub industries: &'static str,
    /// The business word of a company name (`…新能源科技有限公司`).
    pub firm_words: &'static str,
    pub ipc: &'static str,
    pub nice: &'static [u8],
    /// Techniques: `一种基于{tech}的…`.
    pub techs: &'static str,
    /// Tasks: `…{task}方法`.
    pub tasks: &'static str,
    /// Materials or substances: `一种{material}及其制备方法`.
    pub materials: &'static str,
    /// Devices: `一种{device}`.
    pub devices: &'static str,
    /// Products for designs.
    pub products: &'static str,
    /// Software systems.
    pub software: &'static str,
    /// Chips for IC layouts (empty: the sector registers none).
    pub chips: &'static str,
    /// Weights of invention, utility model, design, trademark, software copyright, IC layout.
    pub kind_weights: [u32; 6],
}

pub(crate) const SECTORS: [Sector; 12] = [
    Sector {
        industries: "C3841、C3849、C3824、C3825、M7515",
        firm_words: "新能源科技、电池科技、能源技术、储能科技",
        ipc: "H01M 10/42、H01M 10/0525、H01M 4/525、H01M 10/44、H02J 7/00、B60L 58/12、H01M 10/613、G01R 31/367",
        nice: &[9, 7, 12, 35, 42],
        techs: "深度学习、扩展卡尔曼滤波、电化学阻抗谱、迁移学习、等效电路模型、数字孪生、长短期记忆网络",
        tasks: "锂电池健康状态估计、电池荷电状态预测、电芯内短路检测、储能系统充放电调度、电池包热失控预警、快充策略优化、电池一致性评估",
        materials: "高镍三元正极材料、硅碳复合负极材料、固态电解质薄膜、磷酸锰铁锂正极材料、阻燃型电解液、复合集流体",
        devices: "电池模组散热结构、储能电池柜、电芯极耳焊接夹具、电池包防爆阀、液冷板、电池管理系统采样电路",
        products: "便携式储能电源、储能电池柜、电动工具电池包、充电桩",
        software: "电池管理系统、储能能量管理平台、电芯生产追溯系统",
        chips: "电池电量计芯片、多节电池保护芯片",
        kind_weights: [45, 27, 10, 14, 2, 2],
    },
    Sector {
        industries: "C3973、C3972、I6520、C3562、C3976、C3985",
        firm_words: "微电子、半导体、集成电路、芯片科技",
        ipc: "H01L 21/02、H01L 29/78、H01L 23/31、G06F 30/39、H03K 19/00、H01L 21/67、H03F 3/45、G11C 16/04",
        nice: &[9, 42, 40],
        techs: "深紫外光刻、原子层沉积、化学机械抛光、机器学习、低温键合、多项目晶圆",
        tasks: "晶圆缺陷检测、芯片版图布线优化、刻蚀终点检测、存储器读写控制、时钟数据恢复、芯片良率预测",
        materials: "碳化硅外延片、氮化镓异质结构、高纯溅射靶材、低介电常数薄膜、光刻胶",
        devices: "晶圆传送机械手、芯片封装结构、探针卡、半导体器件散热结构、晶圆清洗装置",
        products: "芯片测试座、开发板、晶圆载具",
        software: "芯片验证管理系统、晶圆测试数据分析系统、集成电路设计辅助软件",
        chips: "高性能应用处理器、低功耗蓝牙芯片、车规级微控制器、图像信号处理芯片、模数转换器、电源管理芯片、存储控制器",
        kind_weights: [46, 14, 3, 14, 8, 15],
    },
    Sector {
        industries: "I6513、I6511、I6531、I6532、I6450、I6550、I6560",
        firm_words: "信息技术、智能科技、网络科技、软件、数据科技",
        ipc: "G06N 3/08、G06N 3/045、G06F 16/35、G06V 10/82、G06T 7/00、G06Q 10/06、H04L 9/40、G06F 40/30",
        nice: &[9, 42, 35, 38],
        techs: "深度学习、知识图谱、联邦学习、图神经网络、大语言模型、注意力机制、区块链、强化学习",
        tasks: "文本分类、目标检测、用户意图识别、异常流量检测、多模态检索、票据信息抽取、数据隐私保护、智能问答",
        materials: "",
        devices: "智能交互终端、边缘计算网关、人脸识别门禁装置、服务器机箱散热结构",
        products: "智能音箱、图形用户界面、边缘计算盒、人脸识别终端",
        software: "智能客服系统、数据治理平台、知识图谱构建系统、视频结构化分析系统、低代码开发平台、网络安全态势感知系统",
        chips: "",
        kind_weights: [44, 6, 9, 19, 22, 0],
    },
    Sector {
        industries: "C3921、C3922、C3976、C3832、I6532",
        firm_words: "通信技术、光电科技、通讯、光通信",
        ipc: "H04W 72/04、H04B 10/50、H04L 5/00、H01Q 1/36、G02B 6/12、H04W 24/02、H04B 7/06",
        nice: &[9, 38, 42],
        techs: "毫米波、波束赋形、软件定义网络、正交频分复用、相干光调制、智能反射面",
        tasks: "信道估计、资源块调度、光模块温度补偿、基站节能控制、网络切片管理、射频干扰抑制",
        materials: "低损耗光纤预制棒、微波介质陶瓷、液晶聚合物薄膜",
        devices: "光模块壳体、天线阵列、光纤连接器、小基站散热外壳、射频滤波器",
        products: "无线路由器、光模块、5G小基站、对讲机",
        software: "基站运维管理系统、光网络监控系统、物联网连接管理平台",
        chips: "射频前端芯片、光通信驱动芯片",
        kind_weights: [48, 22, 9, 14, 5, 2],
    },
    Sector {
        industries: "C2761、C2762、C2720、C2710、M7340、C2770",
        firm_words: "生物科技、医药科技、生物医药、生物技术",
        ipc: "A61K 31/00、A61K 39/395、C12N 15/113、C07D 401/04、A61P 35/00、C12Q 1/6883、G01N 33/68、C07K 16/28",
        nice: &[5, 1, 42, 44],
        techs: "CRISPR基因编辑、高通量测序、单细胞测序、mRNA、微流控、噬菌体展示",
        tasks: "肿瘤标志物检测、抗体亲和力筛选、病原体快速鉴定、细胞培养过程监控、药物晶型筛选、基因突变检测",
        materials: "抗PD-L1单克隆抗体、小分子激酶抑制剂、mRNA疫苗脂质纳米颗粒、重组胶原蛋白、siRNA缀合物、缓释微球制剂",
        devices: "细胞培养瓶、生物样本冷藏运输箱、试剂盒、移液吸头",
        products: "试剂盒包装盒、采样管、药品包装盒",
        software: "实验室信息管理系统、临床试验数据管理系统、生物信息分析平台",
        chips: "",
        kind_weights: [60, 10, 4, 20, 3, 0],
    },
    Sector {
        industries: "C3581、C3584、C3589、C3583、C3586",
        firm_words: "医疗器械、医疗科技、医疗设备",
        ipc: "A61B 5/00、A61B 6/03、A61M 25/09、A61B 17/34、A61F 2/82、A61B 8/08、A61N 1/36",
        nice: &[10, 5, 44],
        techs: "光学相干断层成像、深度学习、超声弹性成像、脑机接口、光声成像",
        tasks: "心电信号分析、医学图像分割、血管狭窄评估、手术器械追踪、睡眠呼吸监测、病灶自动标注",
        materials: "可降解镁合金支架、抗菌涂层导管、医用水凝胶敷料",
        devices: "一次性穿刺器、血管介入导管、康复训练机器人、输液监测装置、内窥镜镜头、病床护栏",
        products: "监护仪、超声诊断仪、血压计、雾化器、手术器械包",
        software: "医学影像处理软件、远程监护管理系统、手术导航系统",
        chips: "",
        kind_weights: [40, 30, 14, 13, 3, 0],
    },
    Sector {
        industries: "C3491、C3492、C3421、C3424、C3493、C3499、C3525",
        firm_words: "智能装备、机器人、自动化、精密机械、智能制造",
        ipc: "B25J 9/16、B23K 26/38、B23Q 3/06、G05B 19/418、B33Y 10/00、B23K 37/04、B65G 47/90",
        nice: &[7, 9, 37, 42],
        techs: "机器视觉、力位混合控制、激光、数字孪生、自适应控制、点云配准",
        tasks: "焊缝跟踪、机械臂轨迹规划、工件位姿识别、刀具磨损监测、产线节拍优化、零件缺陷检测",
        materials: "激光熔覆合金粉末、耐磨刀具涂层",
        devices: "机械臂末端夹爪、激光切割头、自动上下料装置、数控机床防护罩、柔性装配工装、AGV顶升机构",
        products: "协作机器人、激光切割机、AGV搬运车、数控机床",
        software: "机器人离线编程系统、制造执行系统、设备远程运维平台",
        chips: "",
        kind_weights: [38, 36, 11, 13, 2, 0],
    },
    Sector {
        industries: "C2659、C3985、C2661、C2662、M7513、C2641",
        firm_words: "新材料、材料科技、化工科技、高分子材料",
        ipc: "C08L 63/00、C08K 3/04、C01B 32/184、C09D 163/00、B32B 27/08、C08J 5/18、C04B 35/565",
        nice: &[1, 2, 17, 19],
        techs: "溶胶凝胶法、静电纺丝、原位聚合、超临界发泡、等离子体改性",
        tasks: "涂层附着力测试、复合材料固化控制、粉体粒径分级、薄膜厚度在线检测",
        materials: "石墨烯导热膜、耐高温聚酰亚胺薄膜、环氧树脂复合材料、水性防腐涂料、碳纤维预浸料、气凝胶隔热毡",
        devices: "涂布机烘箱、薄膜分切装置、反应釜搅拌结构、粉体输送装置",
        products: "隔热板、包装膜卷",
        software: "配方管理系统、材料性能数据库系统",
        chips: "",
        kind_weights: [55, 26, 3, 15, 1, 0],
    },
    Sector {
        industries: "C4014、C4028、C3983、C4021、C4011、M7452",
        firm_words: "仪器、传感技术、测控技术、检测技术",
        ipc: "G01N 21/64、G01N 30/02、G01R 31/00、G01D 5/353、G01K 7/02、G01L 1/22、G01S 17/89",
        nice: &[9, 42],
        techs: "光纤光栅、拉曼光谱、激光诱导击穿光谱、太赫兹、微机电系统、荧光光谱",
        tasks: "水质重金属检测、气体浓度测量、振动信号故障诊断、温度场重建、电能质量监测、颗粒物计数",
        materials: "荧光探针、气敏材料、压电陶瓷",
        devices: "压力传感器、气体检测仪、光谱仪光路结构、温湿度变送器、流量计",
        products: "手持式检测仪、气相色谱仪、示波器、电子天平",
        software: "仪器数据采集软件、环境监测数据平台、计量校准管理系统",
        chips: "",
        kind_weights: [44, 32, 9, 11, 4, 0],
    },
    Sector {
        industries: "C3670、C3612、C3962、C3660",
        firm_words: "汽车部件、汽车电子、动力科技、汽车科技",
        ipc: "B60W 30/09、B60R 16/023、F16H 57/04、B62D 65/00、H02K 1/27、B60L 53/16、G08G 1/16",
        nice: &[12, 7, 9, 37],
        techs: "激光雷达、多传感器融合、模型预测控制、车路协同、毫米波雷达",
        tasks: "自动泊车路径规划、车道线检测、电机扭矩分配、驾驶员疲劳监测、整车热管理控制、制动能量回收",
        materials: "轻量化铝合金、车用隔音材料",
        devices: "车载摄像头支架、电驱动总成壳体、座椅调节机构、汽车线束固定卡扣、充电枪",
        products: "汽车轮毂、车灯、中控屏、充电枪",
        software: "车载信息娱乐系统、车队管理平台、整车故障诊断软件",
        chips: "车规级电机驱动芯片",
        kind_weights: [36, 30, 16, 14, 3, 1],
    },
    Sector {
        industries: "C3591、M7516、C4021、N7721、N7722",
        firm_words: "环保科技、环境技术、环境工程、水处理科技",
        ipc: "B01D 53/86、C02F 9/00、B09B 3/00、F23G 5/00、C02F 3/30、B01D 46/00",
        nice: &[11, 1, 40, 42],
        techs: "膜生物反应器、高级氧化、厌氧氨氧化、低温等离子体、物联网",
        tasks: "污水处理曝气控制、垃圾焚烧烟气净化、污泥脱水、挥发性有机物治理、土壤修复效果评估",
        materials: "脱硝催化剂、重金属吸附剂、复合絮凝剂",
        devices: "一体化污水处理设备、除尘滤筒、废气喷淋塔、格栅清污机",
        products: "空气净化器、净水器",
        software: "环保设施在线监控系统、碳排放核算软件",
        chips: "",
        kind_weights: [42, 36, 5, 14, 3, 0],
    },
    Sector {
        industries: "C3825、C3821、C3823、C3829、C3812",
        firm_words: "电气、光伏科技、电力科技、电气技术",
        ipc: "H02S 40/30、H02J 3/38、H02M 7/48、H01F 27/28、H02H 7/26、H02J 13/00、H02B 1/56",
        nice: &[9, 11, 7],
        techs: "最大功率点跟踪、虚拟同步机、碳化硅器件、模型预测控制、边缘计算",
        tasks: "光伏组件热斑检测、微电网能量管理、逆变器孤岛检测、变压器故障诊断、配电网故障定位",
        materials: "光伏封装胶膜、非晶合金铁芯",
        devices: "光伏组件边框、箱式变电站、开关柜隔离插头、组串式逆变器散热结构、电缆分支箱",
        products: "光伏逆变器、智能电表、充电模块、配电箱",
        software: "分布式光伏运维平台、配电自动化系统、用电信息采集系统",
        chips: "数字隔离器芯片",
        kind_weights: [42, 34, 7, 12, 3, 2],
    },
];

/// Adjectives for utility-model titles (`一种{adjective}{device}`).
pub(crate) const UM_ADJECTIVES: &[&str] = &[
    "",
    "",
    "",
    "",
    "新型",
    "改进型",
    "可调节的",
    "便于安装的",
    "便于拆装的",
    "模块化",
];

/// Variants for design titles (`{product}（{variant}）`).
pub(crate) const DESIGN_VARIANTS: &[&str] = &[
    "一",
    "二",
    "三",
    "A型",
    "B型",
    "Pro",
    "mini",
    "便携式",
    "壁挂式",
    "立式",
];

/// The items of a `、`-separated list.
pub(crate) fn items(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split('、').filter(|item| !item.is_empty())
}

/// One item of a `、`-separated list ("" when the list is empty).
pub(crate) fn pick(rng: &mut Rng, list: &'static str) -> &'static str {
    let count = items(list).count();
    items(list).nth(rng.below(count)).unwrap_or("")
}
