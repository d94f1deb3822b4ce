"""The report in a real browser: headless Chromium driven over the DevTools protocol (CDP).

No extra package: the websocket client is tornado's (installed with dask.distributed). Chromium is Debian's
``/usr/bin/chromium``; the test skips with the reason when it is absent. Screenshots go to tests/artifacts/ (the top of the page and the filtered fact table; one per section as well with
ZHCORPUS_SECTION_SHOTS=1).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from test_report import analysis_tables, make_store

from pipelines.report import SECTIONS, build_report

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
)


class Chromium:
    """A headless Chromium process with a fresh profile; ``ws_url`` is the first page's CDP websocket."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            pages = [t for t in json.load(resp) if t.get("type") == "page"]
        self.ws_url = pages[0]["webSocketDebuggerUrl"]

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Page:
    """Minimal CDP client: ``send`` a method and await its result; events are collected in ``events``."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        my_id = self.next_id
        await self.conn.write_message(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            raw = await asyncio.wait_for(self.conn.read_message(), timeout=30)
            if raw is None:
                raise RuntimeError("CDP connection closed")
            msg = json.loads(raw)
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    async def wait_event(self, name: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events:
                if e["method"] == name:
                    return e
            raw = await asyncio.wait_for(
                self.conn.read_message(), timeout=max(0.1, deadline - time.monotonic())
            )
            if raw is None:
                raise RuntimeError("CDP connection closed")
            msg = json.loads(raw)
            if "method" in msg:
                self.events.append(msg)

    async def eval(self, expression: str) -> Any:
        res = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression[:60]}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}), ensure_ascii=False)[:300])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(json.dumps(p.get("args", []), ensure_ascii=False)[:300])
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "")[:300])
        return out


CHARTS_JS = """(() => Array.from(document.querySelectorAll('.zc-chart')).map(d => ({
  key: d.dataset.fig,
  svg: d.querySelectorAll('svg.main-svg').length,
  marks: d.querySelectorAll('.cartesianlayer .point path, .cartesianlayer path.point,'
                            + ' .cartesianlayer path.js-line, .cartesianlayer .hm image').length,
})))()"""

VISIBLE_ROWS_JS = """(() => Array.from(document.querySelectorAll('#tbl-facts tbody tr'))
  .filter(r => r.style.display !== 'none').length)()"""


async def _section_shots(page: Page, sections: list[str], shots: Path, prefix: str) -> None:
    """One screenshot per section when ZHCORPUS_SECTION_SHOTS=1 (slow: each re-lays out the whole page)."""
    if os.environ.get("ZHCORPUS_SECTION_SHOTS") != "1":
        return
    await page.eval("document.querySelector('nav').style.position = 'static'")
    for sid in sections:
        box = await page.eval(
            "(() => { const r = document.getElementById('" + sid + "').getBoundingClientRect();"
            " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()"
        )
        clip = {"x": box[0], "y": box[1], "width": box[2], "height": min(box[3], 4000), "scale": 1}
        shot = await page.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        (shots / f"{prefix}_{sid}.png").write_bytes(base64.b64decode(shot["data"]))


async def _drive(ws_url: str, url: str, shots: Path, prefix: str = "report") -> dict[str, Any]:
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(ws_url, max_message_size=64 * 1024 * 1024)
    page = Page(conn)
    try:
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            await page.send(domain)
        await page.send(
            "Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False
        )
        await page.send("Page.navigate", url=url)
        await page.wait_event("Page.loadEventFired")
        await page.eval("new Promise(r => setTimeout(r, 500))")  # let plotly finish its async layout
        out: dict[str, Any] = {
            "sections": await page.eval(
                "Array.from(document.querySelectorAll('main > section')).map(s => s.id)"
            ),
            "charts": await page.eval(CHARTS_JS),
            "rows_before": await page.eval(VISIBLE_ROWS_JS),
            "titles": await page.eval(
                "Array.from(document.querySelectorAll('#overview tbody tr td:first-child'))"
                ".map(td => td.textContent)"
            ),
        }
        shot = await page.send("Page.captureScreenshot", format="png")
        (shots / f"{prefix}_top.png").write_bytes(base64.b64decode(shot["data"]))
        if not await page.eval("!!document.getElementById('fact-filter')"):
            out["errors"] = page.errors()
            out["dialogs"] = [e for e in page.events if e["method"] == "Page.javascriptDialogOpening"]
            await _section_shots(page, out["sections"], shots, prefix)
            return out
        # type into the fact filter like a user: focus, then insert text (fires the input event)
        await page.eval(
            "document.getElementById('fact-filter').scrollIntoView(); document.getElementById('fact-filter').focus()"
        )
        await page.send("Input.insertText", text="广东")
        out["rows_after"] = await page.eval(VISIBLE_ROWS_JS)
        out["count_label"] = await page.eval(
            "document.querySelector('.zc-count[data-for=\"tbl-facts\"]').textContent"
        )
        shot = await page.send("Page.captureScreenshot", format="png")
        (shots / f"{prefix}_facts_filtered.png").write_bytes(base64.b64decode(shot["data"]))
        # sorting: click the value header twice (descending), read the first value
        await page.eval(
            "document.querySelectorAll('#tbl-facts th')[3].click(); document.querySelectorAll('#tbl-facts th')[3].click()"
        )
        out["first_value"] = await page.eval(
            "parseFloat(document.querySelector('#tbl-facts tbody tr:not([style*=\"none\"]) td:nth-child(4) span').dataset.v)"
        )
        out["max_value"] = await page.eval(
            "Math.max(...Array.from(document.querySelectorAll('#tbl-facts tbody tr:not([style*=\"none\"]) td:nth-child(4) span'))"
            ".map(s => parseFloat(s.dataset.v)))"
        )
        await _section_shots(page, out["sections"], shots, prefix)
        out["errors"] = page.errors()
        out["dialogs"] = [e for e in page.events if e["method"] == "Page.javascriptDialogOpening"]
        return out
    finally:
        conn.close()


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tmp_path):
    with analysis_tables():
        store = make_store(tmp_path / "x.duckdb")
        index = build_report(store, tmp_path / "reports")
        store.close()
    ARTIFACTS.mkdir(exist_ok=True)
    browser = Chromium(tmp_path / "profile")
    try:
        result = asyncio.run(asyncio.wait_for(_drive(browser.ws_url, index.as_uri(), ARTIFACTS), timeout=50))
    finally:
        browser.close()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)

    assert result["errors"] == [], result["errors"]
    assert result["sections"] == [sid for sid, _, _ in SECTIONS]
    charts = {c["key"]: c for c in result["charts"]}
    assert len(charts) >= 10
    for key, c in charts.items():
        assert c["svg"] >= 1, f"chart {key} not rendered"
        assert c["marks"] >= 1, f"chart {key} has no marks: {c}"
    assert any(t.startswith("恶意标题<script>") for t in result["titles"])  # shown as text, not run
    assert not result["dialogs"]  # the injected alert() never ran
    assert result["rows_before"] == 48
    assert 0 < result["rows_after"] < result["rows_before"]
    assert result["count_label"] == f"{result['rows_after']} / 48"
    assert result["first_value"] == result["max_value"]
    assert (ARTIFACTS / "report_top.png").stat().st_size > 10_000


@pytest.mark.slow
def test_demo_corpus_report_renders_in_headless_chromium(tmp_path, demo_dir):
    """The real pipeline over corpus/demo, then the report, in the browser (sections fill in as stages land)."""
    from pipelines.commands.report import report
    from pipelines.runner import run
    from pipelines.workspace import Workspace

    if not any(demo_dir.iterdir()):
        pytest.skip(f"no demo documents in {demo_dir}")
    shutil.copytree(demo_dir, tmp_path / "ws" / "corpus" / "demo")
    ws = Workspace(tmp_path / "ws")
    summary = run(ws, executor="inline")
    assert summary.ok, summary.lines()
    index, xlsx = report(ws)
    assert xlsx.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    browser = Chromium(tmp_path / "profile")
    try:
        result = asyncio.run(
            asyncio.wait_for(_drive(browser.ws_url, index.as_uri(), ARTIFACTS, "demo"), timeout=50)
        )
    finally:
        browser.close()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert result["errors"] == [], result["errors"]
    assert result["sections"] == [sid for sid, _, _ in SECTIONS]
    assert result["charts"], "no chart at all"
    for c in result["charts"]:
        assert c["svg"] >= 1 and c["marks"] >= 1, f"chart {c['key']} rendered without marks: {c}"
    if "rows_after" in result:
        assert result["rows_after"] <= result["rows_before"]
