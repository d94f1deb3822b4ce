"""Readers: every format from fixtures built in the test, and every kind of bad input."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from nlp.errors import ReadError, UnsupportedFormat
from nlp.readers import SUPPORTED_SUFFIXES, decode_text_bytes, read_file

SIMPLIFIED = (
    "某省商务厅关于推进跨境电子商务综合试验区建设的通知。各省、自治区、直辖市人民政府：为贯彻落实《数据安全法》，"
    "加快发展数字贸易，2023年全省跨境电商进出口额增长15.6%，新建5G基站8600个。现将有关事项通知如下。"
)
TRADITIONAL = (
    "國務院辦公廳關於推進跨境電子商務綜合試驗區建設的通知。各省、自治區、直轄市人民政府：為貫徹落實黨中央決策部署，"
    "加快發展數位貿易，現將有關事項通知如下。臺灣與香港的數據中心建設也在加速。"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("utf-8", SIMPLIFIED, "utf-8"),
        ("utf-8-sig", SIMPLIFIED, "utf-8-sig"),
        ("gbk", SIMPLIFIED, "gb18030"),
        ("gb18030", SIMPLIFIED, "gb18030"),
        ("big5", TRADITIONAL, "cp950"),
        ("gb18030", TRADITIONAL, "gb18030"),
        ("utf-16", SIMPLIFIED, "utf-16-le-bom"),
    ],
)
def test_read_file_txt_detects_encoding(tmp_path: Path, encoding: str, text: str, expected: str) -> None:
    path = _write(tmp_path, "doc.txt", (text + "\r\n第二行。\n").encode(encoding))
    raw = read_file(path)
    assert raw.text == text + "\n第二行。\n"  # BOM gone, CRLF normalised
    assert raw.encoding == expected
    assert raw.format == "txt"
    assert raw.pages is None


@pytest.mark.parametrize("chars", [4, 12, 40])
def test_decode_gbk_and_big5_short_texts_are_not_confused(chars: int) -> None:
    for text, codec in ((SIMPLIFIED[:chars], "gbk"), (TRADITIONAL[:chars], "big5")):
        decoded, _ = decode_text_bytes(text.encode(codec))
        assert decoded == text


def test_read_file_md(tmp_path: Path) -> None:
    path = _write(tmp_path, "paper.md", "# 标题\n\n摘要：数字贸易。\n".encode())
    raw = read_file(path)
    assert raw.format == "md" and raw.text.startswith("# 标题\n")


def test_read_file_empty_and_whitespace_only(tmp_path: Path) -> None:
    for name, data in (
        ("empty.txt", b""),
        ("blank.md", b" \n\t\r\n"),
        ("ideo.txt", "\u3000\u3000\n".encode()),
    ):
        with pytest.raises(ReadError, match="empty file") as info:
            read_file(_write(tmp_path, name, data))
        assert name in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 20,  # NUL bytes
        b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50 + "正文".encode() * 10,  # control characters
        b"\x81\xff\xfe\x80" * 300,  # undecodable in every candidate
    ],
)
def test_read_file_binary_junk_named_txt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="binary or undecodable") as info:
        read_file(_write(tmp_path, "junk.txt", data))
    assert "junk.txt" in str(info.value)
    assert "\n" not in str(info.value)


def test_read_file_unsupported_and_missing(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"\.xlsx") as info:
        read_file(_write(tmp_path, "table.xlsx", b"PK"))
    assert "table.xlsx" in str(info.value)
    with pytest.raises(ReadError, match="file not found"):
        read_file(tmp_path / "nope.txt")
    assert {".txt", ".md", ".pdf", ".docx", ".html", ".htm"} <= SUPPORTED_SUFFIXES


@pytest.mark.slow
def test_read_file_50mb_single_line(tmp_path: Path) -> None:
    unit = "跨境电商综合试验区2023年进出口额增长15.6%。"
    count = 50_000_000 // len(unit.encode("utf-8"))
    path = _write(tmp_path, "big.txt", (unit * count).encode("utf-8"))
    start = time.perf_counter()
    raw = read_file(path)
    elapsed = time.perf_counter() - start
    assert len(raw.text) == len(unit) * count and "\n" not in raw.text
    assert elapsed < 10, f"50 MB single line took {elapsed:.1f}s"


# ---------------------------------------------------------------------------------------------- PDF


def _pdf_bytes(pages: list[list[str]], *, image: bool = False, shapes: bool = False) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(60, 780 - 20 * i, line)
        if shapes:
            c.rect(100, 100, 300, 200, fill=1)
            c.circle(300, 500, 60)
        if image:
            from PIL import Image
            from reportlab.lib.utils import ImageReader

            img = Image.new("RGB", (120, 60), "white")
            c.drawImage(ImageReader(img), 60, 300, 360, 180)
        c.showPage()
    c.save()
    return buffer.getvalue()


def test_read_file_pdf_pages_and_text(tmp_path: Path) -> None:
    pages = [
        ["某市政府工作报告", "新建5G基站8600个，增长15.6%。", "1"],
        ["第二页：《数据安全法》与RCEP规则对接。", "2"],
    ]
    raw = read_file(_write(tmp_path, "report.pdf", _pdf_bytes(pages)))
    assert raw.format == "pdf"
    assert raw.pages is not None and len(raw.pages) == 2
    assert raw.pages[0].split("\n") == pages[0]
    assert raw.pages[1].split("\n") == pages[1]
    assert raw.text == "\n".join(raw.pages)


def test_read_file_truncated_pdf(tmp_path: Path) -> None:
    data = _pdf_bytes([["某市政府工作报告，正文内容若干。"] * 5] * 3)
    path = _write(tmp_path, "cut.pdf", data[: len(data) // 2])
    with pytest.raises(ReadError, match="truncated or corrupt PDF") as info:
        read_file(path)
    assert "cut.pdf" in str(info.value)


def test_read_file_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a PDF"):
        read_file(_write(tmp_path, "fake.pdf", "这不是PDF文件。".encode() * 10))


def test_read_file_corrupt_pdf_body(tmp_path: Path) -> None:
    data = b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n"
    with pytest.raises(ReadError, match="PDF") as info:
        read_file(_write(tmp_path, "garbage.pdf", data))
    assert "garbage.pdf" in str(info.value)


@pytest.mark.parametrize(("image", "shapes"), [(True, False), (False, True)])
def test_read_file_scanned_pdf(tmp_path: Path, image: bool, shapes: bool) -> None:
    path = _write(tmp_path, "scan.pdf", _pdf_bytes([[], []], image=image, shapes=shapes))
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\)") as info:
        read_file(path)
    assert "scan.pdf" in str(info.value)
    assert ("2 image object" in str(info.value)) == image


# --------------------------------------------------------------------------------------------- DOCX


def test_read_file_docx_keeps_tables_in_place(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("某市2023年数字经济发展统计公报", level=0)
    document.add_paragraph("一、总体情况")
    document.add_paragraph("数字经济核心产业增加值1865亿元，增长9.8%。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["指标", "2022年", "2023年"], ["5G基站（个）", "35100", "43700"], ["占比（%）", "10.9", "11.6"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、数字基础设施")
    path = tmp_path / "bulletin.docx"
    document.save(path)

    raw = read_file(path)
    assert raw.format == "docx" and raw.encoding is None
    lines = raw.text.split("\n")
    assert lines == [
        "某市2023年数字经济发展统计公报",
        "一、总体情况",
        "数字经济核心产业增加值1865亿元，增长9.8%。",
        "| 指标 | 2022年 | 2023年 |",
        "| --- | --- | --- |",
        "| 5G基站（个） | 35100 | 43700 |",
        "| 占比（%） | 10.9 | 11.6 |",
        "二、数字基础设施",
    ]


def test_read_file_damaged_docx(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a readable DOCX") as info:
        read_file(_write(tmp_path, "broken.docx", b"PK\x03\x04 not really a zip" * 10))
    assert "broken.docx" in str(info.value)


# --------------------------------------------------------------------------------------------- HTML

HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>页面标题</title><style>p {{ color: red }}</style><script>var x = "脚本";</script></head>
<body><nav>首页 | 新闻</nav>
<h1>深圳跨境电商进出口增长</h1>
<p>本报讯（记者 林晓）今年前三季度，深圳跨境电商
进出口额达到2360亿元，<b>同比增长</b>21.7%。</p>
<div>第二段<br>换行后的内容</div>
<table><tr><th>指标</th><th>数值</th></tr><tr><td>出口额</td><td>1980亿元</td></tr></table>
<footer>版权所有</footer></body></html>"""


def test_read_file_html_blocks_tables_and_charset(tmp_path: Path) -> None:
    path = _write(tmp_path, "news.htm", HTML.format().encode("gb18030"))
    raw = read_file(path)
    assert raw.format == "html" and raw.encoding == "gb18030"
    assert raw.text.split("\n") == [
        "深圳跨境电商进出口增长",
        "本报讯（记者 林晓）今年前三季度，深圳跨境电商进出口额达到2360亿元，同比增长21.7%。",
        "第二段",
        "换行后的内容",
        "| 指标 | 数值 |",
        "| --- | --- |",
        "| 出口额 | 1980亿元 |",
    ]


def test_read_file_html_without_meta_charset(tmp_path: Path) -> None:
    html = "<html><body><p>國務院辦公廳關於推進數據中心建設的通知，各省、自治區人民政府。</p></body></html>"
    raw = read_file(_write(tmp_path, "big5.html", html.encode("big5")))
    assert raw.text == "國務院辦公廳關於推進數據中心建設的通知，各省、自治區人民政府。"


def test_read_file_html_with_no_visible_text(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="empty file") as info:
        read_file(
            _write(tmp_path, "blank.html", b"<html><head><script>x=1</script></head><body> </body></html>")
        )
    assert "blank.html" in str(info.value)


# --------------------------------------------------------------------------------------------- demo


def test_demo_corpus_reads(demo_dir: Path) -> None:
    paths = sorted(p for p in demo_dir.iterdir() if p.suffix in SUPPORTED_SUFFIXES)
    if not paths:
        pytest.skip("corpus/demo is empty (run corpus/make_demo.py)")
    formats = {read_file(p).format for p in paths}
    assert formats == {"txt", "md", "pdf", "docx", "html"}
    pdf = read_file(next(p for p in paths if p.suffix == ".pdf"))
    assert pdf.pages is not None and len(pdf.pages) == 2
    assert all("2024年政府工作报告" in page.split("\n")[0] for page in pdf.pages)  # the running header
    encodings = {read_file(p).encoding for p in paths if p.suffix == ".txt"}
    assert {"gb18030", "utf-8", "utf-8-sig"} <= encodings
