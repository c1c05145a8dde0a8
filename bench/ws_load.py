"""Concurrent sessions driven over Streamlit's own websocket protocol, without a browser.

Each client is what a browser tab is to the server: it opens a session on /_stcore/stream, asks for a
run of the app (a BackMsg rerun_script carrying the query string) and reads the ForwardMsgs until the
run's script_finished. A filter change is a rerun with a new query string: the app adopts URL values
on every run (ui/url.py), as it does for the back button. Latency is from the request until the
server has sent the whole new view; the drawing in a browser comes on top (bench/browser.py measures
that, one session at a time).

Why not 20 Chromium tabs for this: on the 2-core benchmark machine the tabs' own rendering takes
most of the CPU the server needs, so such a run measures the client as much as the server.
"""
from __future__ import annotations

import asyncio
import threading
import time

LEVELS = ("commune", "province", "district", "")  # "" is "all levels": the link without the key


async def _run_once(ws, query: str, page: str = "", metrics: dict | None = None) -> tuple[float, str | None]:
    """One rerun; (ms until script_finished, the first exception shown or None). The KPI cards drawn
    are put into `metrics` (label -> value) when it is given."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    error = None
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await ws.recv())
        kind = fwd.WhichOneof("type")
        element = fwd.delta.new_element if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
            else None
        if element is not None and element.WhichOneof("type") == "exception" and error is None:
            error = element.exception.message[:160] or "exception"
        if element is not None and metrics is not None and element.WhichOneof("type") == "metric":
            metrics[element.metric.label] = element.metric.body
        if kind == "script_finished":
            return (time.perf_counter() - t0) * 1000, error


async def _client(url: str, k: int, quarter: str, seconds: float, interval: float, out: dict,
                  settled: asyncio.Event | None = None) -> None:
    """One session: its first view, then a filter change every `interval` s; at the end (and once
    `settled` is set: the import in the middle has finished, however long it took) the first view
    again, whose cards go to out["final"] (the new data?)."""
    import websockets

    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=60) as ws:
            await asyncio.wait_for(_run_once(ws, f"p={quarter}"), 300)  # the first load, not timed
            end = time.perf_counter() + seconds
            i = k
            while time.perf_counter() < end:
                tick = time.perf_counter()
                level = LEVELS[i % len(LEVELS)]
                query = f"p={quarter}" + (f"&level={level}" if level else "")
                try:
                    ms, error = await asyncio.wait_for(_run_once(ws, query), 60)
                    out["latencies"].append(ms)
                    if error:
                        out["errors"].append(f"session {k}: {error}")
                except TimeoutError:
                    out["errors"].append(f"session {k}: no answer within 60 s")
                    return
                i += 1
                await asyncio.sleep(max(0.0, interval - (time.perf_counter() - tick)))
            if settled is not None:
                await settled.wait()
            cards: dict = {}
            await asyncio.wait_for(_run_once(ws, f"p={quarter}", metrics=cards), 60)
            out["final"].append(cards)
    except Exception as e:  # noqa: BLE001 - a dropped session is an error of the run, not of the bench
        out["errors"].append(f"session {k}: {type(e).__name__}: {str(e)[:120]}")


def load(base_url: str, quarter: str, sessions: int, seconds: float, interval: float = 2.0,
         midway=None) -> dict:
    """`sessions` clients, each changing the level filter every `interval` s for `seconds`; `midway`
    (e.g. an import) is called in a thread halfway through, its result kept under "midway", and the
    clients' final views wait for it to finish."""
    url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
    out: dict = {"latencies": [], "errors": [], "final": []}

    async def main():
        settled = asyncio.Event() if midway is not None else None
        clients = asyncio.gather(*(_client(url, k, quarter, seconds, interval, out, settled)
                                   for k in range(sessions)))
        if midway is not None:
            await asyncio.sleep(seconds / 2)
            try:
                out["midway"] = await asyncio.to_thread(midway)
            finally:
                settled.set()
        await clients

    _run(main)
    return {"sessions": sessions, "seconds": seconds, **out}


def _run(main) -> None:
    """asyncio.run in a thread of its own: the caller's thread may already run an event loop (pytest
    after Playwright's sync API, a notebook)."""
    failure: list[BaseException] = []

    def target():
        try:
            asyncio.run(main())
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            failure.append(e)
    th = threading.Thread(target=target, name="ws-load")
    th.start()
    th.join()
    if failure:
        raise failure[0]


def percentile(xs: list[float], q: float) -> float:
    """The nearest-rank q-quantile (the benchmark's one definition of p50 and p95); NaN when empty."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def summary(res: dict) -> str:
    lat = res["latencies"]
    if not lat:
        return f"{res['sessions']} sessions: no change answered; {len(res['errors'])} errors"
    return (f"{res['sessions']} sessions × {res['seconds']:.0f} s: {len(lat)} changes, "
            f"p50 {percentile(lat, .5):.0f} ms, p95 {percentile(lat, .95):.0f} ms, {len(res['errors'])} errors")
