"""The workbook to fill in (``chaingraph template``): 说明, 企业, 供应关系, 产业链.

Headers are the loader's Chinese aliases, money headers carry their unit
(``年采购额(万元)``), status and kind cells offer drop-downs of accepted values,
number cells have number formats and id cells are text (``001`` stays
``001``).  Each table has example rows (grey) that load as they are: the
workbook loads with no other step, before and after it is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["TEMPLATE", "Column", "write_template"]


@dataclass(frozen=True)
class Column:
    """One column of the template: its header, what it means, whether required, its unit and format."""

    canon: str
    header: str
    required: bool
    meaning: str
    unit: str = ""
    number_format: str = "@"
    width: int = 14
    choices: tuple[str, ...] = ()


_MONEY = "#,##0.00##"
TEMPLATE: dict[str, tuple[str, tuple[Column, ...], tuple[tuple[object, ...], ...]]] = {
    "enterprises": (
        "企业",
        (
            Column(
                "id", "企业ID", True, "企业编号（或统一社会信用代码），每家企业唯一；供应关系用它指代企业", width=12
            ),
            Column("name", "企业名称", True, "企业全称或常用简称", width=18),
            Column("zone", "所在园区", True, "所在开发区或地区；园区外企业填所在城市（如 深圳市）", width=14),
            Column("park", "园区", False, "园区内的小园区/片区", width=14),
            Column("city", "城市", False, "所在城市", width=10),
            Column("province", "省份", False, "所在省份", width=10),
            Column("industry", "产业", False, "所属产业链，多个用 ; 分隔", width=14),
            Column("products", "主营产品", False, "主营产品，多个用 ; 分隔；与供应关系的“产品”同名", width=20),
            Column(
                "kind",
                "类型",
                False,
                "制造商 / 物流 / 贸易商（空：制造商）",
                choices=("制造商", "物流", "贸易商"),
                width=8,
            ),
            Column("output_value", "年产值(万元)", False, "年产值", unit="万元", number_format=_MONEY),
            Column("employees", "从业人数", False, "从业人数", unit="人", number_format="#,##0", width=10),
            Column("chain_leader", "链主", False, "是否链主企业：是 / 否（空：否）", choices=("是", "否"), width=6),
            Column("lat", "纬度", False, "纬度（-90 至 90），画图用", number_format="0.0000", width=9),
            Column("lon", "经度", False, "经度（-180 至 180），画图用", number_format="0.0000", width=9),
        ),
        (
            (
                "JC-JG",
                "晋钢",
                "晋城经开区",
                "金匠工业园",
                "晋城市",
                "山西省",
                "新材料",
                "冷轧薄板;钢坯",
                "制造商",
                980000,
                6200,
                "是",
                35.5241,
                112.8155,
            ),
            (
                "JC-FSK",
                "富士康(晋城)",
                "晋城经开区",
                "富士康科技工业园",
                "晋城市",
                "山西省",
                "充电桩",
                "充电桩箱体",
                "制造商",
                650000,
                12000,
                "是",
                35.4964,
                112.8458,
            ),
        ),
    ),
    "links": (
        "供应关系",
        (
            Column("supplier_id", "供应商ID", True, "供货企业的 企业ID（须在“企业”表中）", width=12),
            Column("buyer_id", "采购方ID", True, "采购企业的 企业ID（须在“企业”表中）", width=12),
            Column("product", "产品", True, "所供产品", width=14),
            Column(
                "annual_value",
                "年采购额(万元)",
                False,
                "年采购金额；空着时按 年采购量 × 单价 计算（两者必填其一）",
                unit="万元",
                number_format=_MONEY,
            ),
            Column("annual_volume", "年采购量", False, "年采购数量（件、吨……）", number_format="#,##0.##", width=11),
            Column("unit_price", "单价(元)", False, "每单位的合同价", unit="元", number_format=_MONEY, width=11),
            Column(
                "logistics_cost",
                "物流成本(元)",
                False,
                "每单位的运费、代理、报关费用（空：0）",
                unit="元",
                number_format=_MONEY,
                width=12,
            ),
            Column(
                "status", "状态", False, "在供 / 拟供 / 历史（空：在供）", choices=("在供", "拟供", "历史"), width=8
            ),
            Column("via", "途经", False, "经手的物流/贸易企业 企业ID，按顺序用 ; 分隔", width=12),
            Column("note", "备注", False, "任意说明", width=24),
        ),
        (("JC-JG", "JC-FSK", "冷轧薄板", None, 24000, 4650, 50, "在供", None, "示例：晋钢冷轧薄板供富士康"),),
    ),
    "chains": (
        "产业链",
        (
            Column("chain", "产业链", True, "产业链名称", width=12),
            Column("product", "产品", True, "链上的产品或环节", width=14),
            Column("input", "上游产品", False, "该产品的一种投入品（每种投入一行；原材料留空）", width=14),
            Column(
                "segment",
                "环节位置",
                False,
                "上游 / 中游 / 下游（空：按链条深度推导）",
                choices=("上游", "中游", "下游"),
                width=10,
            ),
        ),
        (("充电桩", "充电桩箱体", "冷轧薄板", "中游"),),
    ),
}

_GUIDE = [
    "如何使用本模板",
    "1. 在“企业”“供应关系”“产业链”三张表中填写数据，每行一条；灰色的示例行可以直接覆盖或删除。",
    "2. 表头不要改名（可在表头后加单位，如 年采购额(万元)）；不需要的列可以留空。",
    "3. 金额：年采购额、年产值按表头写的单位“万元”填写；单价、物流成本按“元”。单元格里也可以写 1.07万、2亿元。",
    "4. 状态、类型、链主、环节位置可从下拉列表选择。",
    "5. 保存后运行：chaingraph validate 模板.xlsx，然后 chaingraph analyze 模板.xlsx --zone 园区名。",
    "“产业链”表可选：没有它时，环节由供应关系推导。",
]


def write_template(path: str | Path) -> Path:
    """Write the template workbook to ``path`` and return it.

    Examples
    --------
    >>> import tempfile
    >>> from chaingraph.load import load_dataset
    >>> out = write_template(Path(tempfile.mkdtemp()) / "模板.xlsx")
    >>> ds = load_dataset(out)
    >>> len(ds.enterprises), ds.links["value"].tolist(), ds.warnings
    (2, [111600000.0], ())
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    out = Path(path)
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    bold, grey = Font(bold=True), Font(color="808080", italic=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for i, text in enumerate(_GUIDE, 1):
        guide.cell(i, 1, text).font = Font(bold=True, size=13) if i == 1 else Font()
    top = len(_GUIDE) + 2
    for j, title in enumerate(("表", "列名", "英文列名", "必填", "单位", "含义"), 1):
        cell = guide.cell(top, j, title)
        cell.font, cell.fill = bold, head_fill
    r = top + 1
    for _kind, (sheet, columns, _) in TEMPLATE.items():
        for c in columns:
            for j, v in enumerate((sheet, c.header, c.canon, "是" if c.required else "", c.unit, c.meaning), 1):
                guide.cell(r, j, v)
            r += 1
    for j, w in enumerate((10, 16, 16, 6, 6, 70), 1):
        guide.column_dimensions[get_column_letter(j)].width = w

    for _kind, (sheet, columns, examples) in TEMPLATE.items():
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "A2"
        for j, c in enumerate(columns, 1):
            cell = ws.cell(1, j, c.header)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(horizontal="center")
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = c.width
            ws.column_dimensions[letter].number_format = c.number_format
            if c.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(c.choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="请从下拉列表选择",
                                    error="可填：" + " / ".join(c.choices))  # fmt: skip
                dv.add(f"{letter}2:{letter}5000")
                ws.add_data_validation(dv)
        for i, row in enumerate(examples, 2):
            for j, (column, value) in enumerate(zip(columns, row, strict=True), 1):
                cell = ws.cell(i, j, value)
                cell.font, cell.number_format = grey, column.number_format
    wb.properties.creator = "chaingraph"
    wb.save(out)
    return out
