"""The dashboard in headless Chromium (Debian's /usr/bin/chromium, Playwright), for `python -m reform
bench --browser`: first load of every page until every chart is drawn, a global-filter change and a
drill-down click until the next view is drawn (medians over N repetitions), the server's peak RSS, and
S concurrent sessions each changing a filter every 2 s (p50/p95 latency, errors, RSS over time): websocket
clients speaking Streamlit's protocol (bench/ws_load.py) and, with --tabs, as many Chromium tabs.

"Drawn" is Streamlit's own signal (the app's data-test-script-state is notRunning and no element is
stale), then no skeleton left and every Plotly chart has its SVG: no sleeps are timed.
"""
from __future__ import annotations

import asyncio
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from bench.ws_load import percentile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = ("", "dossiers", "units", "procedures", "indicators", "data")
LEVEL_CHOICES = ("Cấp xã", "Cấp huyện", "Cấp tỉnh", "Tất cả")
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || document.querySelector('[data-stale="true"]'))
        return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], '
                               + '[data-testid="stAppSkeleton"]')) return false;
    return [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
}"""


STARTED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !app || app.dataset.testScriptState !== 'notRunning' || !!document.querySelector('[data-stale="true"]');
}"""


def settle(page, timeout_s: float = 120) -> None:
    """Wait until the view is drawn (see the module docstring); an exception on the page is an error.
    First wait (up to 1 s) for the rerun a click starts, so that the old view does not count as drawn."""
    try:
        page.wait_for_function(STARTED, timeout=1000, polling=10)
    except Exception:  # noqa: BLE001 - the rerun was over before we looked, or none was needed
        pass
    page.wait_for_function(DRAWN, timeout=timeout_s * 1000, polling=20)
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        raise RuntimeError(errors.first.inner_text()[:300])


async def settle_async(page, timeout_s: float = 120) -> None:
    try:
        await page.wait_for_function(STARTED, timeout=1000, polling=10)
    except Exception:  # noqa: BLE001 - as in settle()
        pass
    await page.wait_for_function(DRAWN, timeout=timeout_s * 1000, polling=20)
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("exception shown")


class Server:
    """`streamlit run dashboard.py` on a free port for one database; RSS read from /proc."""

    def __init__(self, db: pathlib.Path, log_path: pathlib.Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REFORM_DB": str(db)}
        self._log = open(log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py",
                                      "--server.headless", "true", "--server.port", str(self.port),
                                      "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                                     cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the dashboard did not start; see {log_path}")

    def rss_mb(self, field: str = "VmRSS") -> float:
        for line in pathlib.Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def choose_level(page, option: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Cấp").first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def interactions(server: Server, quarter: str, reps: int, log) -> dict:
    """First loads per page, filter changes and drill-down clicks, one session at a time."""
    from playwright.sync_api import sync_playwright

    out: dict = {"load": {}, "filter": [], "drill": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name in PAGES:
            times = []
            for _ in range(reps):
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(f"{server.url}/{name}?p={quarter}")
                settle(page)
                times.append(_ms(t0))
                ctx.close()
            out["load"][name or "overview"] = times
            log(f"    first load {name or 'overview'}: median {statistics.median(times):.0f} ms")
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = ctx.new_page()
        page.goto(f"{server.url}/?p={quarter}")
        settle(page)
        for i in range(reps):
            t0 = time.perf_counter()
            choose_level(page, LEVEL_CHOICES[i % len(LEVEL_CHOICES)])
            settle(page)
            out["filter"].append(_ms(t0))
        choose_level(page, "Tất cả")
        settle(page)
        for i in range(reps):
            bars = page.locator(".js-plotly-plot").first.locator(".bars path")
            t0 = time.perf_counter()
            bars.nth(i % 3).click(force=True)
            settle(page)
            out["drill"].append(_ms(t0))
            page.get_by_role("button", name="Toàn tỉnh").click()  # back up, not timed
            settle(page)
        ctx.close()
        browser.close()
    log(f"    filter change: median {statistics.median(out['filter']):.0f} ms; "
        f"drill-down: median {statistics.median(out['drill']):.0f} ms")
    return out


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process so far (from /proc), in seconds; None once it has ended."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _chromium_pids() -> list[int]:
    out = []
    for d in pathlib.Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().startswith("chrom"):
                    out.append(int(d.name))
            except OSError:
                pass
    return out


def measured(server: Server, drive) -> dict:
    """Run drive() while sampling the server's RSS every second, and the CPU time the server and every
    Chromium process used meanwhile (on a 2-core machine the clients compete with the server). Chromium
    processes come and go with the tabs: each is read every 0.2 s, from 0 if it started during the run."""
    rss: list[tuple[float, float]] = []
    stop = threading.Event()
    started = time.perf_counter()
    before = {pid: _cpu_seconds(pid) or 0.0 for pid in _chromium_pids()}
    first: dict[int, float] = {}
    last: dict[int, float] = {}

    def sample():
        n = 0
        while not stop.is_set():
            if n % 5 == 0:
                rss.append((time.perf_counter() - started, server.rss_mb()))
            for pid in _chromium_pids():
                v = _cpu_seconds(pid)
                if v is not None:
                    first.setdefault(pid, before.get(pid, 0.0))
                    last[pid] = v
            n += 1
            stop.wait(0.2)

    server0 = _cpu_seconds(server.proc.pid) or 0.0
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        res = drive()
    finally:
        stop.set()
        sampler.join()
    return {**res, "rss": rss, "wall_s": time.perf_counter() - started,
            "server_cpu_s": (_cpu_seconds(server.proc.pid) or 0.0) - server0,
            "chromium_cpu_s": sum(last[p] - first[p] for p in last)}


def concurrency_ws(server: Server, quarter: str, sessions: int, seconds: float, log) -> dict:
    """`sessions` websocket clients (bench/ws_load.py), each changing the level filter every 2 s."""
    from bench import ws_load

    res = measured(server, lambda: ws_load.load(server.url, quarter, sessions, seconds))
    log(f"    {ws_load.summary(res)} (websocket clients)")
    return {**res, "clients": "websocket"}


def concurrency(server: Server, quarter: str, sessions: int, seconds: float, log) -> dict:
    """`sessions` browser tabs, each changing the level filter every 2 s for `seconds`; the server's
    RSS is sampled every second meanwhile."""
    from playwright.async_api import async_playwright

    async def one(browser, k: int, latencies: list, errors: list):
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await ctx.new_page()
        try:
            await page.goto(f"{server.url}/?p={quarter}")
            await settle_async(page, 300)
            end = time.perf_counter() + seconds
            i = k
            while time.perf_counter() < end:
                tick = time.perf_counter()
                try:
                    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
                        has_text="Cấp").first
                    option = page.get_by_role("option", name=LEVEL_CHOICES[i % len(LEVEL_CHOICES)], exact=True)
                    await box.click()
                    try:    # a click that lands while the sidebar redraws opens nothing: open it again, once
                        await option.wait_for(timeout=5000)
                    except Exception:  # noqa: BLE001 - Playwright's timeout; the second try raises on its own
                        await page.keyboard.press("Escape")
                        await settle_async(page, 60)
                        await box.click()
                    await option.click()
                    await settle_async(page, 60)
                    latencies.append(_ms(tick))
                except Exception as e:  # a failed change is counted, and the session goes on
                    errors.append(f"session {k}: {str(e)[:120]}")
                i += 1
                await asyncio.sleep(max(0.0, 2.0 - (time.perf_counter() - tick)))
        finally:
            await ctx.close()

    async def main():
        latencies: list[float] = []
        errors: list[str] = []
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            await asyncio.gather(*(one(browser, k, latencies, errors) for k in range(sessions)))
            await browser.close()
        return {"latencies": latencies, "errors": errors}

    res = measured(server, lambda: asyncio.run(main()))
    log(f"    {sessions} sessions × {seconds:.0f} s: {len(res['latencies'])} changes, {len(res['errors'])} errors "
        "(Chromium tabs)")
    return {**res, "sessions": sessions, "seconds": seconds, "clients": "chromium"}


def run(db: pathlib.Path, quarter: str, reps: int, sessions: int, seconds: float, log,
        log_dir: pathlib.Path, tabs: bool = False) -> dict:
    """Single-session timings, then `sessions` concurrent websocket clients and, with `tabs`, as many
    Chromium tabs (their own drawing competes with the server for the machine's cores)."""
    server = Server(db, log_dir / f"{db.stem}.server.log")
    try:
        res = {"idle_rss_mb": server.rss_mb()}
        res["single"] = interactions(server, quarter, reps, log)
        res["after_single_peak_rss_mb"] = server.rss_mb("VmHWM")
        res["concurrent"] = []
        if sessions:
            res["concurrent"].append(concurrency_ws(server, quarter, sessions, seconds, log))
            if tabs:
                res["concurrent"].append(concurrency(server, quarter, sessions, seconds, log))
        res["peak_rss_mb"] = server.rss_mb("VmHWM")
        return res
    finally:
        server.stop()


def report(res: dict, reps: int) -> list[str]:
    """Markdown lines for one scale."""
    s = res["single"]
    L = [f"### In Chromium (ms from the click or navigation until every chart is drawn; {reps} repetitions)", "",
         "| action | median | p95 | first | target (DESIGN §7, default sample) |", "|---|---:|---:|---:|---|"]
    for name, xs in s["load"].items():
        L.append(f"| first load, {name} page (new session) | {statistics.median(xs):.0f} | {percentile(xs, .95):.0f} | "
                 f"{xs[0]:.0f} | ≤ 4000 |")
    for key, label in (("filter", "global filter change (level)"), ("drill", "drill-down click (a bar)")):
        xs = s[key]
        L.append(f"| {label} | {statistics.median(xs):.0f} | {percentile(xs, .95):.0f} | {xs[0]:.0f} | ≤ 800 |")
    L += ["", f"Server RSS: {res['idle_rss_mb']:.0f} MB idle, peak {res['after_single_peak_rss_mb']:.0f} MB after "
          f"the single-session runs, peak {res['peak_rss_mb']:.0f} MB after the concurrent run.", ""]
    for c in res.get("concurrent") or []:
        lat = c["latencies"]
        curve = ", ".join(f"{mb:.0f}" for _, mb in c["rss"][::max(1, len(c["rss"]) // 12)])
        who = ("websocket clients (Streamlit's protocol, no drawing: the server's part)" if c["clients"] == "websocket"
               else "Chromium tabs on the same machine (drawing included)")
        cpu = f"server CPU {c['server_cpu_s']:.0f} s, Chromium CPU {c['chromium_cpu_s']:.0f} s"
        L += [f"Concurrent, {who}: {c['sessions']} sessions, each changing the level filter every 2 s for "
              f"{c['seconds']:.0f} s: {len(lat)} changes, p50 {percentile(lat, .5):.0f} ms, p95 {percentile(lat, .95):.0f} ms "
              f"(target p95 ≤ 2000 ms), {len(c['errors'])} errors (target 0); {cpu} in {c['wall_s']:.0f} s "
              f"(2 cores). Server RSS over the run (MB): {curve}.", ""]
        L += [f"- {e}" for e in c["errors"][:5]]
    return L
