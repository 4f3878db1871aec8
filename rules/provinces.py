"""The province table of reference §2.1: abbreviations per number kind and the admin codes; pure data.

Four provinces file ICP numbers under an alternate abbreviation (四川 蜀, 贵州 黔, 云南 滇, 甘肃 陇)
while their 公安 numbers use another one (川, 贵, 滇, 甘); every abbreviation maps to one province.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Province:
    """One province: its name, admin code (公安 digits 1–2) and the abbreviations each number uses."""

    name: str
    code: str
    icp: str  # the current ICP备 prefix
    public_security: str  # the 公网安备 prefix
    legacy_icp: tuple[str, ...] = ()  # older ICP备 prefixes still found on old numbers
    aliases: tuple[str, ...] = ()  # other abbreviations of the same province (GB/T 2260, licences)

    @property
    def abbreviations(self) -> frozenset[str]:
        """Every abbreviation that names this province."""
        return frozenset((self.icp, self.public_security, *self.legacy_icp, *self.aliases))


def _plain(name: str, code: str, abbreviation: str) -> Province:
    return Province(name, code, abbreviation, abbreviation)


PROVINCE_TABLE: tuple[Province, ...] = (
    _plain("北京", "11", "京"),
    _plain("天津", "12", "津"),
    _plain("河北", "13", "冀"),
    _plain("山西", "14", "晋"),
    _plain("内蒙古", "15", "蒙"),
    _plain("辽宁", "21", "辽"),
    _plain("吉林", "22", "吉"),
    _plain("黑龙江", "23", "黑"),
    _plain("上海", "31", "沪"),
    _plain("江苏", "32", "苏"),
    _plain("浙江", "33", "浙"),
    _plain("安徽", "34", "皖"),
    _plain("福建", "35", "闽"),
    _plain("江西", "36", "赣"),
    _plain("山东", "37", "鲁"),
    _plain("河南", "41", "豫"),
    _plain("湖北", "42", "鄂"),
    _plain("湖南", "43", "湘"),
    _plain("广东", "44", "粤"),
    _plain("广西", "45", "桂"),
    _plain("海南", "46", "琼"),
    _plain("重庆", "50", "渝"),
    Province("四川", "51", "蜀", "川", legacy_icp=("川",)),
    Province("贵州", "52", "黔", "贵", legacy_icp=("贵",)),
    Province("云南", "53", "滇", "滇", aliases=("云",)),  # 云ICP备 / 云公网安备 seen only as placeholders
    _plain("西藏", "54", "藏"),
    _plain("陕西", "61", "陕"),
    Province("甘肃", "62", "陇", "甘", legacy_icp=("甘",)),
    _plain("青海", "63", "青"),
    _plain("宁夏", "64", "宁"),
    _plain("新疆", "65", "新"),
)

BY_ABBREVIATION: dict[str, Province] = {a: p for p in PROVINCE_TABLE for a in p.abbreviations}
BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCE_TABLE}


def province_of(abbreviation: str) -> Province | None:
    """The province an abbreviation (any of its forms: 蜀 and 川 are both 四川) names, or None."""
    return BY_ABBREVIATION.get(abbreviation)


def licence_province(licence_number: str) -> Province | None:
    """The province of a licence number's issuer prefix (陕B2-… → 陕西); None for 合字 or no prefix."""
    return province_of(licence_number.strip()[:1])
