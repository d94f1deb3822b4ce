"""Chinese and mixed numerals -> floats, and money strings -> (amount, currency).

Small pure functions, no state: ``parse_number("4295.58亿") == 429558000000.0``,
``parse_number("一千二百三十四万") == 12340000.0``, ``parse_money("约4.287亿美元")`` gives
``Money(value=428700000.0, value_max=None, unit="美元", definition="blur")``.

Why hand-written: the texts mix Arabic digits, Chinese digits, financial forms (壹贰叁, 萬億) and magnitude
characters (1.7万亿, 3千万亿); a number must be read the way a reader of a government report reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CN_DIGITS",
    "CN_YEAR_DIGITS",
    "MAGNITUDES",
    "Money",
    "parse_cn_int",
    "parse_money",
    "parse_number",
    "split_magnitude",
    "year_in_digits",
]

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "仨": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MAGNITUDES: dict[str, float] = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_LATIN_MAG = {"k": 1e3, "K": 1e3, "w": 1e4, "W": 1e4}

CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(MAGNITUDES)
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_SEP = re.compile(r"(?<=\d)[,，](?=\d{3})")
# full-width digits, and the traditional decimal point 點 read as 点 (百分之三十六點九 -> 36.9)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％點", "0123456789.%点")


def _normalise_digits(text: str) -> str:
    """Full-width digits to ASCII, 點 to 点 and thousands separators removed (``82，225.00`` -> ``82225.00``)."""
    return _SEP.sub("", text.translate(_FULLWIDTH))


def _parse_section(text: str) -> float:
    """A numeral below 万: 三千二百, 3千, 一二三 (digit by digit), 零一百四十三."""
    if not text:
        return 0.0
    total = 0.0
    pending: float | None = None
    digits_run = ""  # consecutive bare digits: 二〇二三 -> 2023
    i = 0
    while i < len(text):
        ch = text[i]
        m = _ARABIC.match(text, i) if ch.isdecimal() else None  # \d is a decimal digit
        if m:
            pending = float(m.group())
            digits_run = ""
            i = m.end()
            continue
        if ch in CN_DIGITS:
            digits_run += str(CN_DIGITS[ch])
            pending = float(digits_run)
        elif ch in SMALL_UNITS:
            total += (pending if pending is not None else 1.0) * SMALL_UNITS[ch]
            pending = None
            digits_run = ""
        else:
            raise ValueError(f"not a numeral character: {ch!r} in {text!r}")
        i += 1
    if pending is not None:
        total += pending
    return total


_MAG_SPLITS = (("亿", "億", 1e8), ("万", "萬", 1e4))  # split from the right, the larger first


def parse_cn_int(text: str) -> float:
    """Read a numeral made of digits and magnitude characters (any mixture of Arabic and Chinese).

    亿 and 万 are split from the right so that stacked magnitudes multiply: 3千万亿 = 3000万 x 1亿,
    百亿亿 = 100亿 x 1亿, and 六十四万零一百四十三 = 64 x 1万 + 143.
    """
    text = _normalise_digits(text.strip())
    if not text:
        raise ValueError("empty numeral")
    for simplified, traditional, factor in _MAG_SPLITS:
        idx = max(text.rfind(simplified), text.rfind(traditional))
        if idx >= 0:
            left, right = text[:idx], text[idx + 1 :]
            left_value = parse_cn_int(left) if left else 1.0
            return left_value * factor + (parse_cn_int(right) if right else 0.0)
    return _parse_section(text)


def parse_number(text: str) -> float:
    """Value of a written number: 1,234.5 | 4295.58亿 | 两百 | 一千二百三十四万 | 15k | 百分之三十 (-> 30) |
    百分之七十七点五 (-> 77.5) | 一点二万 (-> 12000)."""
    text = _normalise_digits(text.strip())
    if text.startswith("百分之"):
        return parse_number(text[3:])
    if text and text[-1] in _LATIN_MAG and _ARABIC.fullmatch(text[:-1]):
        return float(text[:-1]) * _LATIN_MAG[text[-1]]
    if _ARABIC.fullmatch(text):
        return float(text)
    if "点" in text:
        return _parse_cn_decimal(text)
    return parse_cn_int(text)


# 点 is the decimal point of a Chinese numeral: 七十七点五, 三点零五, 零点八, 一点二万 (a magnitude may follow)
_CN_DECIMAL = re.compile(
    rf"(?P<whole>[^点]*)点(?P<frac>[{''.join(CN_DIGITS)}0-9]+)(?P<mag>[{''.join(MAGNITUDES)}]*)"
)


def _parse_cn_decimal(text: str) -> float:
    """七十七点五 -> 77.5, 三点零五 -> 3.05, 一点二万 -> 12000.0: the whole part is read as a numeral, the digits
    after 点 one by one (as 3.05 is read aloud), then any trailing 万/亿 multiplies."""
    m = _CN_DECIMAL.fullmatch(text)
    if m is None:
        raise ValueError(f"not a decimal numeral: {text!r}")
    whole = parse_cn_int(m.group("whole")) if m.group("whole") else 0.0
    frac = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in m.group("frac"))
    value = float(f"{whole:.0f}.{frac}") if whole.is_integer() else whole + float(f"0.{frac}")
    for c in m.group("mag"):
        value *= MAGNITUDES[c]
    return value


def split_magnitude(text: str) -> tuple[str, str]:
    """Split trailing 万/亿 off a number as written: ("4295.58亿" -> ("4295.58", "亿"), "万亿" -> ("", "万亿")).

    The project writes the magnitude into the unit (value 4295.58, unit 亿元), as the texts and the gold do.
    A 万 that is followed by more digits (六十四万零一百) is part of the number and stays.
    """
    i = len(text)
    while i > 0 and text[i - 1] in MAGNITUDES:
        i -= 1
    return text[:i], text[i:]


# --------------------------------------------------------------------------------------------- years
# the digits a year is written with in Chinese, one character per digit (一九七八, 二〇二三, 二○二○, 二零二零, 一九八Ｏ)
CN_YEAR_DIGITS = "〇○零Ｏ一二三四五六七八九"
_CN_YEAR_RUN = re.compile(f"[{CN_YEAR_DIGITS}]{{4}}")


def year_in_digits(text: str) -> str:
    """``text`` with the years written digit by digit in Chinese numerals put in Arabic digits, the rest kept:
    一九七八年 -> 1978年, 一九七一年到一九七八年 -> 1971年到1978年, 二〇二三年底 -> 2023年底, 二○二○年一月至九月 ->
    2020年一月至九月.

    Only a run of four such digits that reads a year from 1000 to 2099 is a year (一九.., 二〇.. / 二○.. / 二零..):
    a quantity in Chinese numerals is written with 十/百/千, never digit by digit, and 三三三三 is no year.
    """
    if not _CN_YEAR_RUN.search(text):
        return text
    return _CN_YEAR_RUN.sub(_year_run, text)


def _year_run(m: re.Match[str]) -> str:
    run = m.group()
    if run[0] == "一" or (run[0] == "二" and CN_DIGITS[run[1]] == 0):
        return "".join(str(CN_DIGITS[c]) for c in run)
    return run


# --------------------------------------------------------------------------------------------- money
@dataclass(slots=True)
class Money:
    """A parsed amount of money in whole currency units (元, not 万元)."""

    value: float
    value_max: float | None
    unit: str  # 元 | 美元 | 港元 | 欧元 | 日元 | 新台币 | ...
    definition: str  # accurate | blur | blur+ | blur-


# currency words -> canonical unit; longest first when matched
_CURRENCIES: dict[str, str] = {
    "人民币": "元", "元人民币": "元", "新台币": "新台币", "台币": "新台币", "新台幣": "新台币",
    "港元": "港元", "港币": "港元", "港幣": "港元", "美元": "美元", "美金": "美元", "欧元": "欧元",
    "日元": "日元", "日币": "日元", "日圆": "日元", "英镑": "英镑", "卢布": "卢布", "韩元": "韩元",
    "澳元": "澳元", "泰铢": "泰铢", "加元": "加元", "瑞士法郎": "瑞士法郎", "法郎": "法郎",
    "新加坡元": "新加坡元", "元": "元", "圆": "元", "块钱": "元", "块": "元", "钱": "元",
}  # fmt: skip
_CUR_RE = re.compile("|".join(sorted(map(re.escape, _CURRENCIES), key=len, reverse=True)))
_NUMCH = CN_NUMERAL_CHARS + "0123456789.几数多余kKwW"
_NUM_RE = re.compile(rf"[{re.escape(_NUMCH)}]+")
_BLUR_PLUS = ("以上", "至少", "超过", "超", "逾", "不低于", "不少于", "多于", "大于", "突破")
_BLUR_MINUS = ("不到", "不足", "近", "将近", "小于", "少于", "以下", "以内", "不超过", "最多", "低于")
_BLUR = ("约", "大约", "左右", "上下", "大概", "差不多", "前后")
_RANGE_SEP = re.compile(r"\s*(?:-{1,2}|—{1,2}|–|~|～|至|到)\s*")
_ORDERS = (1e12, 1e8, 1e4, 1e3, 1e2, 10, 1)


def _definition(text: str) -> str:
    if any(w in text for w in _BLUR_MINUS):
        return "blur-"
    if any(w in text for w in _BLUR_PLUS):
        return "blur+"
    if any(w in text for w in _BLUR):
        return "blur"
    return "accurate"


def _fuzzy_span(num: str) -> tuple[float, float] | None:
    """几十万 -> (1e5, 1e6), 数十亿 -> (1e9, 1e10), 十几 -> (10, 20), 3000多 -> (3000, 4000), 八九亿 -> (8e8, 9e8)."""
    if num.startswith(("几", "数")):
        rest = num[1:]
        low = parse_number("一" + rest)
        return low, low * 10
    if "几" in num:  # 十几 -> 10..20, 二十几万 -> 20万..30万 (几 stands for the units digit)
        head, tail = num.split("几", 1)
        mult = parse_number("一" + tail) if tail else 1.0
        low = parse_number(head) if head else 1.0
        return low * mult, (low + 10.0) * mult
    if num.endswith(("多", "余")) or "多" in num or "余" in num:
        for ch in ("多", "余"):
            if ch in num:
                head, tail = num.split(ch, 1)
                break
        low = parse_number(head)
        mult = parse_number("一" + tail) if tail else 1.0
        # the step is the order of the last written digit: 3000多 -> +1000, 十多 -> +10
        core, _ = split_magnitude(head)
        core_val = parse_number(core) if core else 1.0
        step = next((o for o in _ORDERS if core_val >= o and core_val % o == 0), 1.0)
        mag = low / core_val if core_val else 1.0
        return low * mult, (core_val + step) * mag * mult
    # 八九亿, 三五百, 四五千: two adjacent digits = a range
    m = re.fullmatch(rf"([{''.join(CN_DIGITS)}])([{''.join(CN_DIGITS)}])(.*)", num)
    if m and CN_DIGITS[m.group(1)] < CN_DIGITS[m.group(2)] and m.group(3):
        mult = parse_number("一" + m.group(3))
        return CN_DIGITS[m.group(1)] * mult, CN_DIGITS[m.group(2)] * mult
    return None


def _trailing_magnitude(num: str) -> str:
    """The magnitude a range's lower bound inherits from the upper: 三十万 -> 万, 三仟 -> 仟, 3百 -> 百."""
    _, mag = split_magnitude(num)
    if mag:
        return mag
    if num and (num[-1] in SMALL_UNITS or num[-1] in _LATIN_MAG):
        return num[-1]
    return ""


def _has_magnitude(num: str) -> bool:
    return any(c in MAGNITUDES or c in _LATIN_MAG for c in num)


def _sub_units(text: str) -> float:
    """角/毛 and 分 after the 元 part: 1角1分 -> 0.11."""
    total = 0.0
    for num, unit in re.findall(rf"([{re.escape(_NUMCH)}]+)(角|毛|分)", text):
        total += parse_number(num) * (0.1 if unit in "角毛" else 0.01)
    return total


def parse_money(text: str) -> Money | None:
    """Parse a money expression into whole currency units; None when no amount is found.

    Handles separators (233,333，333.34元), magnitudes (1.2万元, 3千万亿日元, 15k, 30w), financial numerals
    (肆佰叁拾萬圆整), 角/分 (123元1角1分, 十块三毛), ranges (1万-5万元, 两到三万港元, 八九亿韩元), fuzzy amounts
    (3000多欧元, 几十万块, 十几块钱) and qualifiers (约, 近, 以上 -> definition blur / blur- / blur+).
    """
    raw = _normalise_digits(text.strip())
    definition = _definition(raw)
    cur = None
    for m in _CUR_RE.finditer(raw):
        canon = _CURRENCIES[m.group()]
        if cur is None or (cur == "元" and canon != "元"):
            cur = canon  # a named foreign currency beats a generic 元 (三万元欧元 -> 欧元)
    # numeric part: drop currency words, qualifiers and bracketed remarks
    body = re.sub(r"[（(][^）)]*[）)]|\s+", "", raw)
    body = _CUR_RE.sub(" ", body)
    body = body.replace("个", "").replace("整", "")
    jiao = 0.0
    m_sub = re.search(rf"([{re.escape(_NUMCH)}]+(?:角|毛|分))+", body)
    if m_sub:
        jiao = _sub_units(m_sub.group())
        body = body[: m_sub.start()] + " " + body[m_sub.end() :]
    rng = re.search(
        rf"([{re.escape(_NUMCH)}]+)\s*(?:-{{1,2}}|—{{1,2}}|–|~|～|至|到)\s*([{re.escape(_NUMCH)}]+)", body
    )
    if rng:
        lo_s, hi_s = rng.group(1), rng.group(2)
        hi = parse_number(hi_s)
        lo = parse_number(lo_s)
        mag = _trailing_magnitude(hi_s)
        small_mag = mag[-1:] in SMALL_UNITS
        if mag and not _has_magnitude(lo_s) and not (small_mag and any(c in SMALL_UNITS for c in lo_s)):
            lifted = parse_number(lo_s + mag)
            if lifted <= hi:  # 从8500到3万 keeps 8500; 八到九百亿 -> 8亿 (the reading the cases expect)
                lo = lifted
        return Money(round(lo, 2), round(hi, 2), cur or "元", "blur")
    nums = _NUM_RE.findall(body)
    nums = [n for n in nums if n.strip(".") and any(c not in "多余几数." for c in n)]
    if not nums:
        return None
    num = max(nums, key=len) if len(nums) > 1 and jiao == 0 else nums[0]
    fuzzy = _fuzzy_span(num)
    if fuzzy:
        lo, hi = fuzzy
        return Money(round(lo, 2), round(hi, 2), cur or "元", "blur")
    value = parse_number(num) + jiao
    return Money(round(value, 2), None, cur or "元", definition)
