"""The sample's build as lines for people (reform.generate's progress events), in one language: on the
first run's screen and on the command line."""
from __future__ import annotations

from collections.abc import Callable

from present import fmt
from present.text import text


def line(lang: str, event: str, elapsed: float = 0.0, **facts) -> str:
    if event == "start":
        scale = f"{facts['scale']:g}".replace(".", "," if lang == "vi" else ".")
        return text("gen.start", lang, name=facts["name"], scale=scale, seed=facts["seed"])
    if event == "waiting":    # the write lock's own English line, or the same news in Vietnamese
        return facts["message"] if lang == "en" else text("gen.waiting", lang)
    if event == "done":
        return text("gen.done", lang, elapsed=fmt.number(elapsed, 1, lang), n=fmt.number(facts["n"], 0, lang),
                    name=facts["name"])
    if event == "stale":
        files = facts["files"]
        what = text("gen.stale", lang, n=len(files), mb=fmt.number(sum(size for _, size in files) / 1e6, 0, lang))
    else:
        shown = {k: fmt.number(v, 0, lang) if k == "n" else v for k, v in facts.items() if k != "files"}
        what = text(f"gen.{event}", lang, **shown)
    return text("gen.line", lang, elapsed=f"{fmt.number(elapsed, 1, lang):>5}", what=what)


def to(lang: str, write: Callable[[str], None]) -> Callable[..., None]:
    """A progress callback for reform.generate that writes each event as a line in `lang`."""
    return lambda event, **facts: write(line(lang, event, **facts))
