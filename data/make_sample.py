"""Build the sample data in this folder from the seed articles (deterministic).

Run ``python data/make_sample.py`` to rewrite enterprises.csv, links.csv and
chains.csv.  data/README.md says which figures come from the articles and
which are invented to illustrate.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(20251128)

E_COLS = ["id", "name", "zone", "park", "city", "province", "industry", "products", "kind",
          "output_value", "employees", "chain_leader", "lat", "lon"]
L_COLS = ["supplier_id", "buyer_id", "product", "annual_value", "annual_volume", "unit_price",
          "logistics_cost", "status", "via", "note"]

ZONES = {
    "JC": ("晋城经开区", "晋城市", "山西省", 35.49, 112.85),
    "GP": ("高平经开区", "晋城市", "山西省", 35.80, 112.92),
    "LF": ("临汾经开区", "临汾市", "山西省", 36.06, 111.52),
    "SD": ("上党经开区", "长治市", "山西省", 36.15, 113.05),
    "LY": ("临猗现代农业产业示范区", "运城市", "山西省", 35.14, 110.77),
}
OUTSIDE = {  # region → (city, province, lat, lon)
    "深圳市": ("深圳市", "广东省", 22.54, 114.06), "东莞市": ("东莞市", "广东省", 23.02, 113.75),
    "香港": ("香港", "香港特别行政区", 22.32, 114.17), "苏州市": ("苏州市", "江苏省", 31.30, 120.58),
    "上海市": ("上海市", "上海市", 31.23, 121.47), "无锡市": ("无锡市", "江苏省", 31.49, 120.31),
    "宁波市": ("宁波市", "浙江省", 29.87, 121.54), "太原市": ("太原市", "山西省", 37.87, 112.55),
    "天津市": ("天津市", "天津市", 39.08, 117.20), "西安市": ("西安市", "陕西省", 34.34, 108.94),
    "郑州市": ("郑州市", "河南省", 34.75, 113.63), "晋城市": ("晋城市", "山西省", 35.49, 112.85),
    "常州市": ("常州市", "江苏省", 31.81, 119.97), "廊坊市": ("廊坊市", "河北省", 39.52, 116.68),
    "北京市": ("北京市", "北京市", 39.90, 116.40), "运城市": ("运城市", "山西省", 35.03, 111.00),
}

enterprises: list[dict[str, object]] = []
links: list[dict[str, object]] = []


def firm(eid: str, name: str, zone_key: str, *, park: str = "", industry: str = "", products: str = "",
         kind: str = "manufacturer", output: float = 0, employees: int = 0, leader: bool = False) -> str:
    if zone_key in ZONES:
        zone, city, prov, lat, lon = ZONES[zone_key]
    else:
        zone = zone_key
        city, prov, lat, lon = OUTSIDE[zone_key]
    enterprises.append({
        "id": eid, "name": name, "zone": zone, "park": park, "city": city, "province": prov,
        "industry": industry, "products": products, "kind": kind,
        "output_value": int(output) if output else "", "employees": employees or "",
        "chain_leader": "true" if leader else "false",
        "lat": round(lat + rng.uniform(-0.04, 0.04), 4), "lon": round(lon + rng.uniform(-0.04, 0.04), 4),
    })
    return eid


def link(s: str, b: str, product: str, *, value: float | None = None, volume: float | None = None,
         price: float | None = None, logistics: float | None = None, status: str = "active",
         via: str = "", note: str = "") -> None:
    links.append({
        "supplier_id": s, "buyer_id": b, "product": product,
        "annual_value": "" if value is None else int(value),
        "annual_volume": "" if volume is None else int(volume),
        "unit_price": "" if price is None else price,
        "logistics_cost": "" if logistics is None else logistics,
        "status": status, "via": via, "note": note,
    })


# ---------------------------------------------------------------- 晋城经开区 (the model case)
firm("JC-JG", "晋钢", "JC", park="金匠工业园", industry="新材料;充电桩", products="冷轧薄板;钢坯",
     output=9_800_000_000, employees=6200, leader=True)
firm("JC-FSK", "富士康(晋城)", "JC", park="富士康科技工业园", industry="充电桩;机器人;精密制造",
     products="充电桩箱体;精密结构件;减速器", output=6_500_000_000, employees=12000, leader=True)
firm("JC-YTL", "英特丽", "JC", park="光机电产业园", industry="充电桩;智能家居", products="充电桩;控制板",
     output=1_800_000_000, employees=1500, leader=True)
firm("JC-CKDZ", "长坤电子", "JC", park="金匠工业园", industry="精密制造", products="模具加工",
     output=120_000_000, employees=260)
firm("JC-ZHCQ", "智绘沧穹", "JC", park="金匠工业园", industry="触摸屏;视觉系统", products="智能交互终端",
     output=450_000_000, employees=380)
firm("JC-HSXT", "核实现通", "JC", park="金匠工业园", industry="触摸屏", products="触摸屏",
     output=300_000_000, employees=420)
for eid, name, prod in [("JC-ZCZR", "众诚智睿", "触控传感器"), ("JC-ZK", "中科", "视觉系统"),
                        ("JC-QC", "祺彩", "LED封装"), ("JC-YFF", "誉非凡", "塑料外壳"),
                        ("JC-HP", "华派", "伺服电机"), ("JC-FH", "丰鸿", "传感器")]:
    firm(eid, name, "JC", park="金匠工业园", industry="光机电", products=prod,
         output=rng.randrange(60, 400) * 1_000_000, employees=rng.randrange(80, 600))
firm("JC-ZKCY", "中科创源", "JC", park="光机电产业园", industry="智能家居", products="智能家居终端",
     output=520_000_000, employees=700)
firm("JC-CH", "朝惠", "JC", park="光机电产业园", industry="机器人", products="自动化设备;工业机器人",
     output=380_000_000, employees=520)
firm("JC-MXGD", "晋城明芯光电(示例)", "JC", park="光机电产业园", industry="LED", products="LED芯片;LED照明模组",
     output=650_000_000, employees=900, leader=True)
firm("JC-GXSJ", "光煦视觉(示例)", "JC", park="光机电产业园", industry="视觉系统;LED", products="LED显示屏",
     output=210_000_000, employees=300)
firm("JC-LHBS", "兰花保税物流中心", "晋城市", industry="进出口物流", kind="logistics",
     output=200_000_000, employees=120)

# outside firms that Jincheng buys from, or used to
firm("SZ-HJ", "深圳华锦钣金", "深圳市", industry="精密制造", products="充电桩箱体;精密结构件")
firm("SZ-TC", "深圳通诚国际货运", "深圳市", industry="进出口物流", kind="logistics")
firm("HK-YT", "香港宇通电子贸易", "香港", industry="电子元器件", kind="trader", products="触控芯片;图像传感器;光学胶")
firm("HK-HX", "香港恒鑫科技", "香港", industry="电子元器件", kind="trader", products="功率模块;MCU芯片")
firm("SZ-YY", "深圳英源电气", "深圳市", industry="充电桩", products="功率模块")
firm("DG-LX", "东莞立讯线缆", "东莞市", industry="充电桩", products="充电枪线缆")
firm("SZ-MCU", "深圳芯联微电子", "深圳市", industry="集成电路", products="MCU芯片;触控芯片")
firm("SZ-LED", "深圳三安光电", "深圳市", industry="LED", products="LED外延片;LED芯片")
firm("SU-BL", "苏州蓝晶衬底", "苏州市", industry="LED", products="蓝宝石衬底")
firm("WX-GL", "无锡光耀玻璃", "无锡市", industry="触摸屏", products="盖板玻璃")
firm("SH-ITO", "上海凯宏导电膜", "上海市", industry="触摸屏", products="ITO导电膜;光学胶")
firm("SZ-VS", "深圳视远图像", "深圳市", industry="视觉系统", products="图像传感器;光学镜头")
firm("NB-JS", "宁波精工减速机", "宁波市", industry="机器人", products="减速器")
firm("CZ-SF", "常州伺服科技", "常州市", industry="机器人", products="伺服电机;控制器")
firm("TJ-ROB", "天津新松机器人(示例)", "天津市", industry="机器人", products="控制器")
firm("TY-TG", "太钢不锈", "太原市", industry="新材料", products="冷轧薄板;不锈钢板")
firm("SZ-PCB", "深圳深南电路", "深圳市", industry="电子元器件", products="PCB板")
firm("NB-PL", "宁波塑料粒子贸易", "宁波市", industry="新材料", kind="trader", products="塑料粒子")
firm("LF-KS", "廊坊矿石贸易(示例)", "廊坊市", industry="新材料", kind="trader", products="铁矿石")
firm("BJ-CP", "北京星网充电(示例)", "北京市", industry="充电桩", products="")
firm("ZZ-CP", "郑州宇通充电(示例)", "郑州市", industry="充电桩", products="")

# The model case: 晋钢 → 富士康 → 英特丽; enclosure 3300 → 2850 yuan.
link("JC-JG", "JC-FSK", "冷轧薄板", volume=24_000, price=4_650, logistics=50, note="晋钢冷轧薄板供富士康冲压焊接")
link("JC-FSK", "JC-YTL", "充电桩箱体", volume=20_000, price=2_820, logistics=30, note="本地配套后单箱成本2850元")
link("SZ-HJ", "JC-YTL", "充电桩箱体", volume=20_000, price=3_180, logistics=120, status="former",
     note="本地配套前自深圳采购, 单箱成本3300元")
link("TY-TG", "JC-FSK", "冷轧薄板", volume=6_000, price=4_800, logistics=160, status="former", note="改由晋钢供应前")
link("LF-KS", "JC-JG", "铁矿石", value=3_600_000_000, note="外购铁矿石")
link("JC-JG", "JC-FSK", "钢坯", value=0, note="试供, 尚未计价")
# 英特丽 builds charging piles: other inputs still come from outside
link("SZ-YY", "JC-YTL", "功率模块", volume=20_000, price=6_900, logistics=80)
link("HK-HX", "JC-YTL", "功率模块", volume=4_000, price=6_500, logistics=260, via="SZ-TC")
link("DG-LX", "JC-YTL", "充电枪线缆", volume=20_000, price=980, logistics=45)
link("SZ-PCB", "JC-YTL", "PCB板", volume=60_000, price=210, logistics=6)
link("SZ-MCU", "JC-YTL", "MCU芯片", volume=60_000, price=38, logistics=1)
link("JC-YTL", "BJ-CP", "充电桩", volume=9_000, price=16_800, logistics=300)
link("JC-YTL", "ZZ-CP", "充电桩", volume=8_000, price=16_500, logistics=260)
# 长坤电子's mould work for six zone firms (article)
for buyer in ["JC-ZCZR", "JC-ZK", "JC-QC", "JC-YFF", "JC-HP", "JC-FH"]:
    link("JC-CKDZ", buyer, "模具加工", value=rng.randrange(12, 48) * 100_000, note="长坤电子模具加工服务")
# 智绘沧穹–核实现通 6000万 touch-screen contract: planned
link("JC-HSXT", "JC-ZHCQ", "触摸屏", value=60_000_000, status="planned", note="初步达成6000万元触摸屏采购合同")
link("SZ-MCU", "JC-ZHCQ", "触摸屏", value=22_000_000, note="在供触摸屏, 拟由核实现通替代")
# Import route 香港 → 深圳 → 晋城; could pass 兰花保税 instead (over 1亿 a year)
link("HK-YT", "JC-ZHCQ", "触控芯片", value=68_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
link("HK-YT", "JC-ZHCQ", "图像传感器", value=42_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
link("HK-YT", "JC-HSXT", "光学胶", value=95_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
link("HK-HX", "JC-ZKCY", "MCU芯片", value=130_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
link("HK-YT", "JC-ZK", "图像传感器", value=88_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
link("HK-YT", "JC-GXSJ", "触控芯片", value=61_000_000, via="SZ-TC", note="进口路径 香港—深圳—晋城")
# touch screens
link("WX-GL", "JC-HSXT", "盖板玻璃", volume=900_000, price=42, logistics=2)
link("SH-ITO", "JC-HSXT", "ITO导电膜", volume=850_000, price=31, logistics=1.5)
link("JC-ZCZR", "JC-HSXT", "触控传感器", volume=700_000, price=55, logistics=0.5)
link("SZ-MCU", "JC-HSXT", "触控芯片", volume=650_000, price=9.5, logistics=0.3)
link("JC-HSXT", "JC-ZKCY", "触摸屏", volume=120_000, price=185, logistics=1)
link("JC-ZHCQ", "SH-ITO", "智能交互终端", value=38_000_000)
# robots and automation
link("JC-HP", "JC-CH", "伺服电机", volume=6_000, price=2_300, logistics=20)
link("CZ-SF", "JC-CH", "伺服电机", volume=9_000, price=2_150, logistics=95)
link("NB-JS", "JC-CH", "减速器", volume=7_500, price=3_600, logistics=120)
link("JC-FSK", "JC-CH", "减速器", volume=1_500, price=3_450, logistics=25)
link("CZ-SF", "JC-CH", "控制器", volume=2_000, price=8_800, logistics=110)
link("TJ-ROB", "JC-CH", "控制器", value=9_000_000)
link("JC-ZK", "JC-CH", "视觉系统", volume=1_200, price=12_000, logistics=40)
link("SZ-VS", "JC-ZK", "光学镜头", volume=20_000, price=260, logistics=5)
link("JC-CH", "JC-FSK", "自动化设备", value=46_000_000)
link("JC-CH", "TJ-ROB", "工业机器人", value=31_000_000)
# smart home
link("JC-YFF", "JC-ZKCY", "塑料外壳", volume=300_000, price=18, logistics=0.4)
link("NB-PL", "JC-YFF", "塑料粒子", value=14_000_000)
link("JC-FH", "JC-ZKCY", "传感器", volume=280_000, price=22, logistics=0.3)
link("SZ-PCB", "JC-ZKCY", "PCB板", volume=300_000, price=35, logistics=1)
# LED
link("SZ-LED", "JC-MXGD", "LED外延片", value=185_000_000, price=5_200, logistics=60)
link("SU-BL", "JC-MXGD", "蓝宝石衬底", value=42_000_000)
link("JC-MXGD", "JC-QC", "LED芯片", volume=40_000_000, price=0.9, logistics=0.01)
link("SZ-LED", "JC-QC", "LED芯片", volume=60_000_000, price=0.85, logistics=0.03)
link("JC-QC", "JC-MXGD", "LED封装", volume=30_000_000, price=1.6, logistics=0.02)
link("JC-QC", "JC-GXSJ", "LED封装", volume=18_000_000, price=1.6, logistics=0.02)
link("JC-MXGD", "SH-ITO", "LED照明模组", value=120_000_000)
link("JC-GXSJ", "SZ-VS", "LED显示屏", value=76_000_000)

# ---------------------------------------------------------------- other zones
# Each zone: (id, name, park, industry, products, inputs bought, leader); inputs name the
# product and where it can come from. Values are invented to illustrate.
OTHER = {
    "GP": [
        ("GP-KS", "康硕智能制造", "精密铸造园", "精密铸造", "精密铸件", ["铁水", "型砂", "铸造模具"], True),
        ("GP-HN", "海诺科技", "新材料园", "新材料", "高性能空心微球", ["粉煤灰", "化工助剂"], False),
        ("GP-FJ", "福江不锈钢制品", "精密铸造园", "精密铸造", "不锈钢制品", ["不锈钢板", "精密铸件"], False),
        ("GP-JB", "金标光电", "新材料园", "新材料", "光学薄膜", ["化工助剂", "高性能空心微球"], False),
        ("GP-ZX", "知行固废", "新材料园", "节能环保", "粉煤灰;型砂", ["煤矸石"], False),
        ("GP-JF", "晋丰煤化工", "化工园", "煤化工", "化工助剂;煤矸石", ["原煤"], False),
        ("GP-TY", "晋煤天源", "化工园", "煤化工", "原煤;化工助剂", [], True),
        ("GP-FS", "法氏集团铁水共享中心", "精密铸造园", "精密铸造", "铁水", ["铁矿石", "原煤"], True),
        ("GP-ZH", "众禾壹心", "食品园", "食品加工", "冷冻甜品", ["奶粉", "白砂糖", "包装盒"], False),
        ("GP-HT", "恒通集团", "新材料园", "园区运营", "铸造模具", ["不锈钢板"], False),
    ],
    "LF": [
        ("LF-ZB", "临开高端装备(示例)", "高端装备制造产业园", "高端装备制造", "数控机床", ["精密铸件", "伺服电机", "控制器"], True),
        ("LF-XN", "临开新能源科技(示例)", "新能源产业园", "新能源与清洁能源", "光伏组件", ["光伏电池片", "光伏玻璃", "铝边框"], True),
        ("LF-GD", "临开光电材料(示例)", "光电新材料产业园", "光电新材料", "光伏玻璃", ["石英砂", "纯碱"], False),
        ("LF-JN", "临开节能环保(示例)", "节能环保产业园", "节能环保", "铝边框", ["铝型材"], False),
        ("LF-SZ", "临开数字科技(示例)", "数字产业园区", "数字经济", "工业软件", [], False),
        ("LF-DK", "临开低空飞行器(示例)", "高端装备制造产业园", "低空经济", "无人机", ["电池组", "伺服电机", "工业软件"], False),
        ("LF-SW", "临开生物医药(示例)", "生物大健康园", "生物医药", "中药制剂", ["中药材"], False),
        ("LF-WD", "临开微短剧基地(示例)", "数字产业园区", "数字经济", "微短剧", ["工业软件"], False),
    ],
    "SD": [
        ("SD-ZD", "振东制药", "生物医药园", "生物医药", "中药制剂;原料药", ["中药材", "药用包装", "原料药"], True),
        ("SD-YM", "雅美包装", "新材料园", "新材料", "药用包装;包装盒", ["塑料粒子", "纸浆"], False),
        ("SD-XC", "上党新材料(示例)", "新材料园", "新材料", "碳纤维复合材料", ["碳纤维", "树脂"], True),
        ("SD-ZB", "上党装备制造(示例)", "装备制造园", "装备制造", "矿用设备", ["精密铸件", "液压件", "碳纤维复合材料"], False),
        ("SD-YY", "上党液压件(示例)", "装备制造园", "装备制造", "液压件", ["不锈钢板"], False),
        ("SD-ZS", "长治智算中心", "数字园", "数字经济", "算力服务", [], False),
    ],
    "LY": [
        ("LY-QY", "亲曜食品", "农产品加工园", "农产品深加工", "果汁;冻干果品", ["苹果", "包装盒", "白砂糖"], True),
        ("LY-DM", "山西东睦磁电有限公司", "智能制造园", "智能制造", "磁敏感材料", ["铁粉", "化工助剂"], True),
        ("LY-TX", "同翔印务", "纸业产业园", "纸业制品", "包装盒;印刷品", ["纸浆", "印刷版"], False),
        ("LY-YJ", "友洁纸业", "纸业产业园", "纸业制品", "纸浆;生活用纸", ["木浆"], False),
        ("LY-KD", "库迪咖啡", "农产品加工园", "农产品深加工", "咖啡饮品", ["咖啡豆", "包装盒", "白砂糖"], False),
        ("LY-BS", "宝森制版", "纸业产业园", "纸业制品", "印刷版", [], False),
        ("LY-BSY", "博晟洋", "中药材加工园", "中药材加工", "中药饮片", ["中药材"], False),
        ("LY-LL", "临猗智慧冷链物流园", "物流园", "冷链物流", "冷链仓储", [], False),
        ("LY-YY", "郁阳果园", "农业园", "现代农业", "苹果;中药材", [], False),
    ],
}
# outside makers of the inputs the other zones buy
OUT_MAKERS = {
    "型砂": ["太原市"], "铁矿石": ["廊坊市"], "原煤": ["太原市"], "奶粉": ["天津市"], "白砂糖": ["郑州市"],
    "光伏电池片": ["无锡市", "常州市"], "石英砂": ["郑州市"], "纯碱": ["天津市"], "铝型材": ["郑州市"],
    "电池组": ["宁波市", "深圳市"], "中药材": ["西安市", "运城市"], "塑料粒子": ["宁波市"], "纸浆": ["苏州市"],
    "碳纤维": ["太原市", "上海市"], "树脂": ["上海市"], "不锈钢板": ["太原市"], "铁粉": ["太原市"],
    "木浆": ["上海市"], "咖啡豆": ["上海市"], "伺服电机": ["常州市"], "控制器": ["常州市"], "精密铸件": ["西安市"],
    "化工助剂": ["天津市"], "液压件": ["常州市"], "光伏玻璃": ["无锡市"], "工业软件": ["北京市"],
    "原料药": ["西安市"], "药用包装": ["苏州市"], "包装盒": ["苏州市"], "粉煤灰": ["太原市"], "苹果": ["运城市"],
    "铸造模具": ["西安市"], "铝边框": ["常州市"], "印刷版": ["上海市"], "煤矸石": ["太原市"],
}
UNIT = {  # rough unit price (yuan), for links that carry one
    "精密铸件": 1_800, "铁水": 2_600, "不锈钢板": 15_000, "伺服电机": 2_200, "控制器": 8_500, "光伏电池片": 3.1,
    "光伏玻璃": 28, "铝边框": 45, "电池组": 6_800, "包装盒": 2.6, "白砂糖": 6_300, "苹果": 4_800, "纸浆": 5_600,
    "化工助剂": 9_000, "液压件": 3_500, "碳纤维复合材料": 180_000, "中药材": 32_000, "塑料粒子": 9_800,
}

makers: dict[str, list[str]] = {}
for zk, firms in OTHER.items():
    for eid, name, park, industry, products, _inputs, leader in firms:
        firm(eid, name, zk, park=park, industry=industry, products=products,
             output=rng.randrange(80, 3000) * 1_000_000, employees=rng.randrange(60, 3000), leader=leader)
        for p in products.split(";"):
            makers.setdefault(p, []).append(eid)

out_ids: dict[tuple[str, str], str] = {}
n_out = 0


def outside_maker(product: str, region: str) -> str:
    global n_out
    key = (product, region)
    if key not in out_ids:
        n_out += 1
        short = region.rstrip("市")
        out_ids[key] = firm(f"EX-{n_out:03d}", f"{short}{product}供应商(示例)", region,
                            industry="外部配套", products=product)
    return out_ids[key]


def priced(product: str, value: float) -> dict[str, float | None]:
    if product not in UNIT or rng.random() < 0.3:
        return {"value": value}
    price = UNIT[product]
    return {"volume": max(1, round(value / price)), "price": price, "logistics": round(price * rng.uniform(0.01, 0.06), 2)}


for zk, firms in OTHER.items():
    zone_ids = {f[0] for f in firms}
    for eid, _n, _p, _i, _prods, inputs, _l in firms:
        for product in inputs:
            local = [m for m in makers.get(product, []) if m in zone_ids and m != eid]
            base = rng.randrange(20, 900) * 100_000
            if local:
                m = rng.choice(local)
                link(m, eid, product, **priced(product, base * rng.uniform(0.4, 1.2)))
            regions = OUT_MAKERS.get(product)
            if regions and (not local or rng.random() < 0.6):
                for region in regions[: rng.choice([1, len(regions)])]:
                    link(outside_maker(product, region), eid, product, **priced(product, base * rng.uniform(0.3, 1.0)))
            elif not local and not regions:
                # bought from another Shanxi zone
                other = [m for m in makers.get(product, []) if m not in zone_ids]
                if other:
                    link(rng.choice(other), eid, product, **priced(product, base))
        # sales out of the zone
        for product in _prods.split(";"):
            if rng.random() < 0.7:
                buyer_region = rng.choice(["上海市", "北京市", "郑州市", "西安市", "天津市"])
                buyer = out_ids.get(("客户", buyer_region)) or outside_maker("客户", buyer_region)
                out_ids[("客户", buyer_region)] = buyer
                link(eid, buyer, product, value=rng.randrange(50, 2000) * 100_000)

# Smaller firms in every zone (invented, to give the tables and the graph a real zone's density):
# each makes one of its zone's products and buys two or three of the zone's inputs.
EXTRA = {"JC": 14, "GP": 10, "LF": 10, "SD": 8, "LY": 10}
JC_INPUTS = ["冷轧薄板", "PCB板", "MCU芯片", "塑料粒子", "模具加工", "传感器", "LED封装", "图像传感器", "伺服电机"]
JC_OUTPUTS = ["精密结构件", "传感器", "塑料外壳", "LED照明模组", "视觉系统", "控制板", "智能家居终端"]
SUFFIX = ["精密", "电子", "科技", "智能", "光电", "材料", "机械", "实业", "新能源", "制造"]
for zk, count in EXTRA.items():
    if zk == "JC":
        outputs, inputs = JC_OUTPUTS, JC_INPUTS
        zone_firms = [e["id"] for e in enterprises if str(e["id"]).startswith("JC-")]
    else:
        outputs = [p for f in OTHER[zk] for p in f[4].split(";")]
        inputs = sorted({p for f in OTHER[zk] for p in f[5]})
        zone_firms = [f[0] for f in OTHER[zk]]
    city = ZONES[zk][1].rstrip("市")
    for k in range(count):
        product = outputs[k % len(outputs)]
        eid = firm(f"{zk}-X{k + 1:02d}", f"{city}{SUFFIX[k % len(SUFFIX)]}{product}厂(示例)", zk,
                   park="", industry="配套", products=product,
                   output=rng.randrange(20, 300) * 1_000_000, employees=rng.randrange(20, 400))
        makers.setdefault(product, []).append(eid)
        for need in rng.sample(inputs, k=min(len(inputs), rng.choice([2, 3]))):
            local = [m for m in makers.get(need, []) if m in zone_firms and m != eid]
            base = rng.randrange(5, 200) * 100_000
            if local and rng.random() < 0.55:
                link(rng.choice(local), eid, need, **priced(need, base))
            else:
                regions = OUT_MAKERS.get(need, ["深圳市"])
                link(outside_maker(need, rng.choice(regions)), eid, need, **priced(need, base))
        # sells to one zone firm and to one outside customer
        # 晋钢 (the chain's head) buys nothing locally and 英特丽 (its end) sells only outside
        link(eid, rng.choice([z for z in zone_firms if z not in ("JC-JG", "JC-YTL")]), product, **priced(product, rng.randrange(5, 150) * 100_000))
        region = rng.choice(["上海市", "北京市", "郑州市", "西安市", "天津市", "深圳市"])
        link(eid, outside_maker("客户", region), product, value=rng.randrange(10, 600) * 100_000)

# Gaoping: a former outside casting supplier replaced by 康硕 (illustrative realized saving)
link(outside_maker("精密铸件", "西安市"), "GP-FJ", "精密铸件", volume=3_000, price=1_950, logistics=140,
     status="former", note="示例: 改由区内康硕供应前")
# planned links that a promotion team has in the pipeline (illustrative)
link("GP-HN", "SD-XC", "高性能空心微球", value=18_000_000, status="planned", note="示例: 意向采购")
link("LY-YJ", "SD-YM", "纸浆", value=26_000_000, status="planned", note="示例: 意向采购")
link("GP-KS", "LF-ZB", "精密铸件", volume=2_000, price=1_780, logistics=60, status="planned", note="示例: 拟供")

CHAINS = [  # chain, product, input, segment
    ("充电桩", "铁矿石", "", "上游原材料"), ("充电桩", "钢坯", "铁矿石", "上游"), ("充电桩", "冷轧薄板", "钢坯", "上游"),
    ("充电桩", "充电桩箱体", "冷轧薄板", "中游"), ("充电桩", "功率模块", "", "中游"), ("充电桩", "充电枪线缆", "", "中游"),
    ("充电桩", "MCU芯片", "", "上游"), ("充电桩", "PCB板", "", "上游"), ("充电桩", "控制板", "MCU芯片", "中游"),
    ("充电桩", "控制板", "PCB板", "中游"),
    ("充电桩", "充电桩", "充电桩箱体", "下游"), ("充电桩", "充电桩", "功率模块", "下游"),
    ("充电桩", "充电桩", "充电枪线缆", "下游"), ("充电桩", "充电桩", "控制板", "下游"),
    ("LED", "蓝宝石衬底", "", "上游"), ("LED", "LED外延片", "蓝宝石衬底", "上游"), ("LED", "LED芯片", "LED外延片", "中游"),
    ("LED", "LED封装", "LED芯片", "中游"), ("LED", "LED照明模组", "LED封装", "下游"), ("LED", "LED显示屏", "LED封装", "下游"),
    ("触摸屏", "盖板玻璃", "", "上游"), ("触摸屏", "ITO导电膜", "", "上游"), ("触摸屏", "光学胶", "", "上游"),
    ("触摸屏", "触控芯片", "", "上游"), ("触摸屏", "触控传感器", "ITO导电膜", "中游"),
    ("触摸屏", "触摸屏", "盖板玻璃", "中游"), ("触摸屏", "触摸屏", "触控传感器", "中游"),
    ("触摸屏", "触摸屏", "触控芯片", "中游"), ("触摸屏", "触摸屏", "光学胶", "中游"),
    ("触摸屏", "智能交互终端", "触摸屏", "下游"), ("触摸屏", "智能交互终端", "图像传感器", "下游"),
    ("机器人", "伺服电机", "", "上游"), ("机器人", "减速器", "", "上游"), ("机器人", "控制器", "", "上游"),
    ("机器人", "光学镜头", "", "上游"), ("机器人", "图像传感器", "", "上游"),
    ("机器人", "视觉系统", "光学镜头", "中游"), ("机器人", "视觉系统", "图像传感器", "中游"),
    ("机器人", "工业机器人", "伺服电机", "下游"), ("机器人", "工业机器人", "减速器", "下游"),
    ("机器人", "工业机器人", "控制器", "下游"), ("机器人", "工业机器人", "视觉系统", "下游"),
    ("智能家居", "塑料粒子", "", "上游"), ("智能家居", "塑料外壳", "塑料粒子", "中游"), ("智能家居", "传感器", "", "中游"),
    ("智能家居", "控制板", "", "中游"), ("智能家居", "触摸屏", "", "中游"),
    ("智能家居", "智能家居终端", "塑料外壳", "下游"), ("智能家居", "智能家居终端", "传感器", "下游"),
    ("智能家居", "智能家居终端", "控制板", "下游"), ("智能家居", "智能家居终端", "触摸屏", "下游"),
]


def write(name: str, cols: list[str], rows: list[dict[str, object]] | list[tuple[str, ...]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols] if isinstance(r, dict) else list(r))


if __name__ == "__main__":
    write("enterprises.csv", E_COLS, enterprises)
    write("links.csv", L_COLS, links)
    write("chains.csv", ["chain", "product", "input", "segment"], CHAINS)
    print(f"{len(enterprises)} enterprises, {len(links)} links, {len(CHAINS)} chain rows")
